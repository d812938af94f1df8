package io.switchboard.publisher.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.switchboard.publisher.publish.PublishOutcome;
import io.switchboard.schemas.ChannelPublish;
import java.time.Clock;
import java.time.Duration;
import org.springframework.stereotype.Component;

/** The publisher's meters, in one place; labels are outcome kinds and reason codes only (bounded). */
@Component
public class PublisherMetrics {

    private final MeterRegistry registry;
    private final Clock clock;
    private final Timer latency;
    private final Counter dedupeHits;

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
    }

    public void dedupeHits(int channels) {
        if (channels > 0) {
            dedupeHits.increment(channels);
        }
    }

    public void outcome(PublishOutcome outcome, ChannelPublish publish, int channels) {
        Counter.builder("switchboard.publisher.requests")
                .description("publish requests to Pusher, by outcome")
                .tag("outcome", outcome.kind().name().toLowerCase())
                .register(registry)
                .increment();
        if (outcome.delivered()) {
            Counter.builder("switchboard.publisher.published")
                    .description("channel deliveries Pusher accepted")
                    .register(registry)
                    .increment(channels);
            latency.record(Duration.between(publish.getOccurredAt(), clock.instant()));
        }
    }

    public void deadLettered(String reason) {
        Counter.builder("switchboard.publisher.dead_lettered")
                .description("records sent to realtime.publish.dlq, by reason")
                .tag("reason", reason)
                .register(registry)
                .increment();
    }
}
