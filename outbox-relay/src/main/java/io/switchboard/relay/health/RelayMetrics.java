package io.switchboard.relay.health;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.switchboard.relay.outbox.OutboxRow;
import io.switchboard.relay.relay.BadRowException;
import io.switchboard.relay.relay.DeadLetter;
import io.switchboard.relay.relay.RelayListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The relay's meters, in one place. Rows are counted once Kafka acknowledged them and they are deleted; dead letters
 * by reason (every reason is registered at zero, so an alert can watch a series that exists).
 */
public final class RelayMetrics implements RelayListener {

    private final Clock clock;
    private final Counter published;
    private final Map<BadRowException.Reason, Counter> deadLettered = new EnumMap<>(BadRowException.Reason.class);
    private final Counter failures;
    private final Timer lag;
    private final AtomicLong backlog = new AtomicLong();
    private final AtomicLong oldestAgeMillis = new AtomicLong();

    public RelayMetrics(MeterRegistry registry, Clock clock) {
        this.clock = clock;
        this.published = Counter.builder("switchboard.relay.published")
                .description("outbox rows published to realtime.events (acknowledged by Kafka and deleted)")
                .register(registry);
        for (BadRowException.Reason reason : BadRowException.Reason.values()) {
            deadLettered.put(
                    reason,
                    Counter.builder("switchboard.relay.dead_lettered")
                            .description("outbox rows written to realtime.events.dlq (acknowledged by Kafka and"
                                    + " deleted), by reason")
                            .tag("reason", reason.name())
                            .register(registry));
        }
        this.failures = Counter.builder("switchboard.relay.failures")
                .description("relay steps or lock checks that failed (database or Kafka unavailable) and are retried")
                .register(registry);
        this.lag = Timer.builder("switchboard.relay.lag")
                .description("from the row's commit (created_at) to its retirement after Kafka's acknowledgement")
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
    public void published(OutboxRow row) {
        published.increment();
        lag.record(Duration.between(row.createdAt(), clock.instant()));
    }

    @Override
    public void deadLettered(DeadLetter letter) {
        deadLettered.get(letter.reason()).increment();
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
