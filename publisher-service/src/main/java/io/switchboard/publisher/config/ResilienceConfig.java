package io.switchboard.publisher.config;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.kafka.ledger.Ledger;
import io.switchboard.kafka.tracing.EventTracing;
import io.switchboard.publisher.dedupe.DedupeStore;
import io.switchboard.publisher.ingest.OrderedDelivery;
import io.switchboard.publisher.ingest.PublisherMetrics;
import io.switchboard.publisher.publish.Dispatcher;
import io.switchboard.publisher.publish.PublishOutcome;
import io.switchboard.publisher.publish.PusherGateway;
import io.switchboard.publisher.publish.ResilientSender;
import io.switchboard.publisher.publish.RetryAfterGate;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * resilience4j around Pusher (wired here by hand: its Spring Boot starter is written for Boot 3), and the delivery
 * stages built on it. While the circuit breaker is open the listener container is paused: it keeps polling, so the
 * group keeps its partitions, but no record is consumed and no offset moves. It resumes when the breaker half-opens
 * to try Pusher again.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({PublisherProperties.class, PusherProperties.class})
public class ResilienceConfig {

    private static final Logger log = LoggerFactory.getLogger(ResilienceConfig.class);

    @Bean
    CircuitBreakerRegistry circuitBreakerRegistry(MeterRegistry meters) {
        CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(registry).bindTo(meters);
        return registry;
    }

    @Bean
    CircuitBreaker pusherCircuitBreaker(
            CircuitBreakerRegistry registry, PublisherProperties properties, KafkaListenerEndpointRegistry containers) {
        CircuitBreaker breaker = registry.circuitBreaker("pusher", circuitBreakerConfig(properties.circuitBreaker()));
        breaker.getEventPublisher().onStateTransition(event -> {
            MessageListenerContainer container = containers.getListenerContainer("publisher");
            CircuitBreaker.State to = event.getStateTransition().getToState();
            log.warn("circuit breaker around Pusher: {}", event.getStateTransition());
            if (container == null) {
                return;
            }
            if (to == CircuitBreaker.State.OPEN || to == CircuitBreaker.State.FORCED_OPEN) {
                container.pause();
            } else {
                container.resume();
            }
        });
        return breaker;
    }

    @Bean
    Retry pusherRetry(PublisherProperties properties, PublisherMetrics metrics, MeterRegistry meters) {
        RetryRegistry registry = RetryRegistry.ofDefaults();
        TaggedRetryMetrics.ofRetryRegistry(registry).bindTo(meters);
        Retry retry = registry.retry("pusher", retryConfig(properties.retry()));
        retry.getEventPublisher().onRetry(event -> metrics.retry());
        return retry;
    }

    /**
     * What counts against Pusher: 5xx, timeouts and connection errors (Pusher being down or unreachable), not our
     * data being refused and not its rate limit (429).
     */
    public static CircuitBreakerConfig circuitBreakerConfig(PublisherProperties.CircuitBreaker settings) {
        return CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.window())
                .minimumNumberOfCalls(settings.minimumCalls())
                .failureRateThreshold(settings.failureRatePercent())
                .waitDurationInOpenState(settings.openWait())
                .permittedNumberOfCallsInHalfOpenState(settings.halfOpenCalls())
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .recordResult(result -> result instanceof PublishOutcome outcome
                        && outcome.kind() == PublishOutcome.Kind.TRANSIENT
                        && !outcome.rateLimited())
                .build();
    }

    /** Transient outcomes are retried with exponential backoff and ±50% jitter; permanent ones are not. */
    public static RetryConfig retryConfig(PublisherProperties.Retry settings) {
        return RetryConfig.<PublishOutcome>custom()
                .maxAttempts(settings.maxAttempts())
                .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(
                        settings.initialBackoff(), 2.0, 0.5, settings.maxBackoff()))
                .retryOnResult(outcome -> outcome.kind() == PublishOutcome.Kind.TRANSIENT)
                // the only exception is the open circuit breaker's: that is a pause, not a failure
                .retryOnException(e -> false)
                .build();
    }

    /** Null when {@code max-messages-per-second} is 0. */
    @Bean
    RateLimiterHolder pusherRateLimiter(PublisherProperties properties) {
        if (properties.maxMessagesPerSecond() == 0) {
            log.info("no rate limit towards Pusher: set switchboard.publisher.max-messages-per-second to the plan's");
            return new RateLimiterHolder(null);
        }
        return new RateLimiterHolder(RateLimiter.of(
                "pusher",
                RateLimiterConfig.custom()
                        .limitForPeriod(properties.maxMessagesPerSecond())
                        .limitRefreshPeriod(Duration.ofSeconds(1))
                        // a reservation always succeeds; the sender waits for it without blocking a thread
                        .timeoutDuration(Duration.ofDays(1))
                        .build()));
    }

    /** Holds the optional rate limiter (a bean may not be null). */
    record RateLimiterHolder(RateLimiter limiter) {}

    @Bean
    RetryAfterGate retryAfterGate(Clock clock, PublisherProperties properties) {
        return new RetryAfterGate(clock, properties.retry().retryAfterCap());
    }

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService pusherScheduler() {
        return Executors.newScheduledThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "pusher-retry");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Bean
    ResilientSender resilientSender(
            PusherGateway gateway,
            Retry retry,
            CircuitBreaker breaker,
            RateLimiterHolder rateLimiter,
            RetryAfterGate retryAfter,
            ScheduledExecutorService scheduler,
            PublisherProperties properties,
            PublisherMetrics metrics) {
        PusherGateway metered = request -> gateway.publish(request).thenApply(outcome -> {
            metrics.request(request, outcome);
            return outcome;
        });
        return new ResilientSender(
                metered, retry, breaker, rateLimiter.limiter(), retryAfter, scheduler, properties.requestTimeout());
    }

    @Bean
    OrderedDelivery orderedDelivery(
            ResilientSender sender,
            PublisherProperties properties,
            PusherProperties pusher,
            DedupeStore dedupe,
            DeadLetterPublishingRecoverer deadLetters,
            PublisherMetrics metrics,
            Ledger ledger,
            EventTracing tracing,
            Clock clock) {
        return new OrderedDelivery(
                new Dispatcher(sender, properties.maxInFlight(), pusher.encryptionConfigured()),
                dedupe,
                deadLetters::accept,
                metrics,
                ledger,
                tracing,
                clock);
    }

    /** The circuit breaker's state in /actuator/health: the service stays UP (it is waiting, not broken). */
    @Bean
    HealthIndicator pusherHealthIndicator(CircuitBreaker breaker) {
        return () -> Health.up()
                .withDetail("circuitBreaker", breaker.getState().name())
                .withDetail("failureRatePercent", breaker.getMetrics().getFailureRate())
                .build();
    }
}
