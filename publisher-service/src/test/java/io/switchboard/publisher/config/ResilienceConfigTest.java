package io.switchboard.publisher.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.kafka.ledger.Ledger;
import io.switchboard.kafka.tracing.EventTracing;
import io.switchboard.publisher.dedupe.DedupeStore;
import io.switchboard.publisher.dedupe.InMemoryDedupeStore;
import io.switchboard.publisher.ingest.PublisherMetrics;
import io.switchboard.publisher.publish.PublishOutcome;
import io.switchboard.publisher.publish.PusherGateway;
import io.switchboard.publisher.publish.PusherMessage;
import io.switchboard.publisher.publish.PusherRequest;
import io.switchboard.publisher.publish.ResilientSender;
import io.switchboard.publisher.publish.SendResult;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;

/**
 * The production resilience beans (ResilienceConfig), built by Spring from publisher-service.yml and the
 * environment, in front of a gateway that answers as the test says: what opens the breaker, and what the rate
 * limit does.
 */
class ResilienceConfigTest {

    private final AtomicReference<PublishOutcome> answer = new AtomicReference<>(PublishOutcome.delivered(200));
    private final List<Long> requestTimes = new CopyOnWriteArrayList<>();

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withInitializer(new ConfigDataApplicationContextInitializer())
            .withPropertyValues("spring.config.name=publisher-service")
            .withUserConfiguration(ResilienceConfig.class)
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
            .withBean(Clock.class, Clock::systemUTC)
            .withBean(PublisherMetrics.class)
            .withBean(Ledger.class, () -> Ledger.OFF)
            .withBean(EventTracing.class, () -> EventTracing.NOOP)
            .withBean(KafkaListenerEndpointRegistry.class)
            .withBean(DedupeStore.class, () -> new InMemoryDedupeStore(Duration.ofMinutes(1), 1_000, Clock.systemUTC()))
            .withBean(DeadLetterPublishingRecoverer.class, () -> mock(DeadLetterPublishingRecoverer.class))
            .withBean(PusherGateway.class, () -> request -> {
                requestTimes.add(System.nanoTime());
                return CompletableFuture.completedFuture(answer.get());
            });

    @Test
    void pusherRateLimitingUsWith429sDoesNotOpenTheBreakerAndDecidesNothing() {
        answer.set(PublishOutcome.fromHttp(429, "{\"error\":\"rate limited\"}"));
        context.withPropertyValues("switchboard.publisher.retry.max-attempts=1").run(c -> {
            ResilientSender sender = c.getBean(ResilientSender.class);
            for (int i = 0; i < 30; i++) {
                // not RETRIES_EXHAUSTED: that would be a dead letter (review of issue 13)
                assertThat(sender.send(request(1)).get().status()).isEqualTo(SendResult.Status.RATE_LIMITED);
            }
            assertThat(c.getBean(CircuitBreaker.class).getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        });
    }

    @Test
    void refusalsOfOurDataDoNotOpenTheBreaker() {
        answer.set(PublishOutcome.fromHttp(413, "too big"));
        context.run(c -> {
            ResilientSender sender = c.getBean(ResilientSender.class);
            for (int i = 0; i < 30; i++) {
                assertThat(sender.send(request(1)).get().status()).isEqualTo(SendResult.Status.REFUSED);
            }
            assertThat(c.getBean(CircuitBreaker.class).getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        });
    }

    @Test
    void pusherDownWith5xxOpensTheBreakerAfterTheMinimumCalls() {
        answer.set(PublishOutcome.fromHttp(503, "unavailable"));
        context.withPropertyValues(
                        "switchboard.publisher.retry.initial-backoff=1ms",
                        "switchboard.publisher.retry.max-backoff=1ms")
                .run(c -> {
                    SendResult result =
                            c.getBean(ResilientSender.class).send(request(1)).get();
                    assertThat(result.status()).isEqualTo(SendResult.Status.CIRCUIT_OPEN);
                    assertThat(result.attempts()).isEqualTo(4); // circuit-breaker.minimum-calls
                    assertThat(c.getBean(CircuitBreaker.class).getState()).isEqualTo(CircuitBreaker.State.OPEN);
                });
    }

    /** PUSHER_MAX_MESSAGES_PER_SECOND: Pusher counts one message per event and channel. */
    @Test
    void theRateLimitHoldsRequestsToTheMessagesPerSecondOfThePlan() {
        context.withPropertyValues("PUSHER_MAX_MESSAGES_PER_SECOND=100").run(c -> {
            ResilientSender sender = c.getBean(ResilientSender.class);
            // three triggers of 100 channels: 300 messages at 100 a second; the third waits for a second period
            List<CompletableFuture<SendResult>> sent = IntStream.range(0, 3)
                    .mapToObj(i -> sender.send(request(100)))
                    .toList();
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get();
            assertThat(Duration.ofNanos(requestTimes.get(2) - requestTimes.get(0)))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(900));
        });
    }

    @Test
    void withoutARateLimitRequestsGoAtOnce() {
        context.run(c -> {
            ResilientSender sender = c.getBean(ResilientSender.class);
            List<CompletableFuture<SendResult>> sent = IntStream.range(0, 3)
                    .mapToObj(i -> sender.send(request(100)))
                    .toList();
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get();
            assertThat(Duration.ofNanos(requestTimes.get(2) - requestTimes.get(0)))
                    .isLessThan(Duration.ofMillis(500));
        });
    }

    private static PusherRequest request(int channels) {
        List<String> names =
                IntStream.range(0, channels).mapToObj(i -> "private-c" + i).toList();
        return PusherRequest.of(new PusherMessage("e", "x.y", names, "{}", null));
    }
}
