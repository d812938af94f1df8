package io.switchboard.relay.health;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.switchboard.relay.relay.OutboxRelay;
import io.switchboard.relay.relay.RelayListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** The relay's meters, in one place. */
public final class RelayMetrics implements RelayListener {

    private final Clock clock;
    private final Counter published;
    private final Counter deadLettered;
    private final Counter failures;
    private final Timer lag;
    private final AtomicLong backlog = new AtomicLong();
    private final AtomicLong oldestAgeMillis = new AtomicLong();

    public RelayMetrics(MeterRegistry registry, Clock clock) {
        this.clock = clock;
        this.published = Counter.builder("switchboard.relay.published")
                .description("outbox rows published to realtime.events")
                .register(registry);
        this.deadLettered = Counter.builder("switchboard.relay.dead_lettered")
                .description("outbox rows that could not become an event, sent to realtime.events.dlq")
                .register(registry);
        this.failures = Counter.builder("switchboard.relay.failures")
                .description("relay steps that failed (database or Kafka unavailable) and will be retried")
                .register(registry);
        this.lag = Timer.builder("switchboard.relay.lag")
                .description("from the row's commit (created_at) to Kafka's acknowledgement")
                .publishPercentileHistogram()
                .register(registry);
        Gauge.builder("switchboard.relay.backlog", backlog, AtomicLong::get)
                .description("rows waiting in the outbox (sampled by the active replica)")
                .register(registry);
        Gauge.builder("switchboard.relay.oldest_age", oldestAgeMillis, a -> a.get() / 1000.0)
                .description("age in seconds of the oldest unpublished row (sampled by the active replica)")
                .baseUnit("seconds")
                .register(registry);
    }

    @Override
    public void step(OutboxRelay.Step step) {
        published.increment(step.published());
        deadLettered.increment(step.deadLettered());
        Instant now = clock.instant();
        for (Instant created : step.createdAt()) {
            lag.record(Duration.between(created, now));
        }
    }

    @Override
    public void failure(Throwable error) {
        failures.increment();
    }

    /** Records a backlog sample: the row count and the oldest row's commit time (null when empty). */
    public void backlog(long rows, Instant oldest) {
        backlog.set(rows);
        oldestAgeMillis.set(
                oldest == null
                        ? 0
                        : Math.max(0, Duration.between(oldest, clock.instant()).toMillis()));
    }
}
