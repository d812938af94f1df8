package io.switchboard.publisher.warmup;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.kafka.ledger.Ledger;
import io.switchboard.kafka.tracing.EventTracing;
import io.switchboard.kafka.warmup.WarmUp;
import io.switchboard.publisher.config.PublisherProperties;
import io.switchboard.publisher.config.ResilienceConfig;
import io.switchboard.publisher.dedupe.InMemoryDedupeStore;
import io.switchboard.publisher.ingest.OrderedDelivery;
import io.switchboard.publisher.ingest.PublisherMetrics;
import io.switchboard.publisher.publish.Dispatcher;
import io.switchboard.publisher.publish.PublishOutcome;
import io.switchboard.publisher.publish.ResilientSender;
import io.switchboard.publisher.publish.RetryAfterGate;
import io.switchboard.schemas.ChannelPublish;
import io.switchboard.schemas.wire.PinnedSchemaRegistry;
import io.switchboard.schemas.wire.WireFormat;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.stereotype.Component;

/**
 * The publisher's hot path, run before it consumes (kafka-support's WarmUpBeforeConsuming): Avro decoding of
 * ChannelPublish records and a poll's ordered delivery (dedupe, dispatch in batches and triggers, resilience4j) with
 * the service's own settings, against a Pusher that accepts everything in memory. Its own dedupe store, circuit
 * breaker, retry, metrics and ledger (off): nothing reaches Pusher, Redis, Kafka or the service's meters.
 */
@Component
public class DeliveryWarmUp implements WarmUp {

    private static final int KEYS = 5;
    private static final int PER_KEY = 4;

    private final OrderedDelivery delivery;
    private final List<byte[]> records = new ArrayList<>();
    private long next;

    public DeliveryWarmUp(PublisherProperties properties, ScheduledExecutorService pusherScheduler) {
        Clock clock = Clock.systemUTC();
        ResilientSender sender = new ResilientSender(
                request -> CompletableFuture.completedFuture(PublishOutcome.delivered(200)),
                Retry.of("warm-up", ResilienceConfig.retryConfig(properties.retry())),
                CircuitBreaker.of("warm-up", ResilienceConfig.circuitBreakerConfig(properties.circuitBreaker())),
                null,
                new RetryAfterGate(clock, properties.retry().retryAfterCap()),
                pusherScheduler,
                properties.requestTimeout());
        this.delivery = new OrderedDelivery(
                new Dispatcher(sender, properties.maxInFlight(), false),
                new InMemoryDedupeStore(Duration.ofMinutes(1), 10_000, clock),
                (record, failure) -> {},
                new PublisherMetrics(new SimpleMeterRegistry(), clock),
                Ledger.OFF,
                EventTracing.NOOP,
                clock);
        int schemaId = PinnedSchemaRegistry.instance().idFor("realtime.publish-value", ChannelPublish.getClassSchema());
        for (int i = 0; i < KEYS * PER_KEY; i++) {
            // single-channel events go in batches, multi-channel ones as triggers: both paths are warmed
            List<String> channels = i % 2 == 0
                    ? List.of("private-audit-A" + i % KEYS)
                    : List.of("private-audit-A" + i % KEYS, "private-fiche-F" + i % KEYS);
            records.add(WireFormat.encode(
                    schemaId,
                    ChannelPublish.newBuilder()
                            .setEventId("warm-up")
                            .setName("audit.step_completed")
                            .setChannels(channels)
                            .setData("{\"audit_id\":\"A" + i % KEYS + "\",\"step_position\":" + i + "}")
                            .setOccurredAt(Instant.now())
                            .setRoutedAt(Instant.now())
                            .setHeaders(Map.of())
                            .build()));
        }
    }

    @Override
    public String name() {
        return "publisher: Avro, ordered delivery, resilience4j (a poll of " + KEYS * PER_KEY + " per iteration)";
    }

    @Override
    public void once() {
        List<ConsumerRecord<String, ChannelPublish>> poll = new ArrayList<>(records.size());
        long round = next++;
        for (int i = 0; i < records.size(); i++) {
            ChannelPublish publish =
                    WireFormat.decode(records.get(i), PinnedSchemaRegistry.instance(), ChannelPublish.getClassSchema());
            publish.setEventId("warm-up-" + round + "-" + i); // new ids: the dedupe store does not skip them
            poll.add(new ConsumerRecord<>("warm-up", 0, i, "A" + i % KEYS, publish));
        }
        try {
            delivery.settle(poll);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
