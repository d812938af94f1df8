package io.switchboard.publisher.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.switchboard.publisher.publish.PublishOutcome;
import io.switchboard.publisher.publish.PusherRequest;
import io.switchboard.schemas.ChannelPublish;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/** The publisher's meters, in one place; labels are outcome kinds and reason codes only (bounded). */
@Component
public class PublisherMetrics {

    private final MeterRegistry registry;
    private final Clock clock;
    private final Timer latency;
    private final Counter dedupeHits;
    private final Counter published;
    private final Counter retries;
    private final Map<PublishOutcome.Kind, Counter> requests = new EnumMap<>(PublishOutcome.Kind.class);

    public PublisherMetrics(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
        this.latency = Timer.builder("switchboard.publisher.end_to_end")
                .description("from occurred_at to Pusher's acceptance")
                .publishPercentileHistogram()
                .register(registry);
        this.dedupeHits = Counter.builder("switchboard.publisher.dedupe_hits")
                .description("channel deliveries skipped because the event already reached the channel")
                .register(registry);
        this.published = Counter.builder("switchboard.publisher.published")
                .description("channel deliveries Pusher accepted (one per event and channel)")
                .register(registry);
        this.retries = Counter.builder("switchboard.publisher.retries")
                .description("requests to Pusher sent again after a transient failure")
                .register(registry);
        for (PublishOutcome.Kind kind : PublishOutcome.Kind.values()) {
            requests.put(
                    kind,
                    Counter.builder("switchboard.publisher.requests")
                            .description("HTTP requests to Pusher (triggers and batch_events), by outcome")
                            .tag("outcome", kind.name().toLowerCase())
                            .register(registry));
        }
    }

    public void dedupeHits(int channels) {
        if (channels > 0) {
            dedupeHits.increment(channels);
        }
    }

    /** One HTTP request and Pusher's answer to it. */
    public void request(PusherRequest request, PublishOutcome outcome) {
        requests.get(outcome.kind()).increment();
    }

    public void retry() {
        retries.increment();
    }

    /** An event Pusher accepted for these channels. */
    public void published(ChannelPublish publish, int channels) {
        published.increment(channels);
        latency.record(clock.millis() - publish.getOccurredAt().toEpochMilli(), TimeUnit.MILLISECONDS);
    }

    public void deadLettered(String reason) {
        Counter.builder("switchboard.publisher.dead_lettered")
                .description("records sent to realtime.publish.dlq, by reason")
                .tag("reason", reason)
                .register(registry)
                .increment();
    }
}
