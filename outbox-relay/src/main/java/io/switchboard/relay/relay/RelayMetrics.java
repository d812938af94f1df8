package io.switchboard.relay.relay;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** The relay's meters, in one place. */
public final class RelayMetrics {

    private final Counter published;
    private final Counter deadLettered;
    private final Counter failures;

    public RelayMetrics(MeterRegistry registry) {
        this.published = Counter.builder("switchboard.relay.published")
                .description("outbox rows published to realtime.events")
                .register(registry);
        this.deadLettered = Counter.builder("switchboard.relay.dead_lettered")
                .description("outbox rows that could not become an event, sent to realtime.events.dlq")
                .register(registry);
        this.failures = Counter.builder("switchboard.relay.failures")
                .description("relay steps that failed (database or Kafka unavailable) and will be retried")
                .register(registry);
    }

    void step(OutboxRelay.Step step) {
        published.increment(step.published());
        deadLettered.increment(step.deadLettered());
    }

    void failure() {
        failures.increment();
    }
}
