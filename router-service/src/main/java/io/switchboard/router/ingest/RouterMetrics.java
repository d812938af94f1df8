package io.switchboard.router.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.switchboard.router.routing.EventRouter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * The router's meters, in one place. Labels are rule names and reason codes, which stay bounded whatever types
 * producers send. Meters are looked up once per label and kept: this runs for every event.
 */
@Component
public class RouterMetrics {

    private record RuleMeters(Counter routed, Timer route, Counter truncated, Counter droppedFields) {}

    private final MeterRegistry registry;
    private final Map<String, RuleMeters> byRule = new ConcurrentHashMap<>();
    private final Map<String, Counter> dropped = new ConcurrentHashMap<>();
    private final Map<String, Counter> deadLettered = new ConcurrentHashMap<>();

    private final Counter guardUnavailable;
    private final Counter outputRetries;

    public RouterMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.guardUnavailable = Counter.builder("switchboard.router.guard_unavailable")
                .description("progress-guard store calls that failed (events were admitted without the guard)")
                .register(registry);
        this.outputRetries = Counter.builder("switchboard.router.output_retries")
                .description("polls consumed again from a record whose output or dead letter was not acknowledged")
                .register(registry);
    }

    public void guardUnavailable() {
        guardUnavailable.increment();
    }

    public void outputRetry() {
        outputRetries.increment();
    }

    public void routed(EventRouter.Routed routed, long nanos) {
        RuleMeters meters = byRule.computeIfAbsent(routed.rule(), this::ruleMeters);
        meters.routed().increment();
        meters.route().record(nanos, TimeUnit.NANOSECONDS);
        if (routed.truncation().truncated()) {
            meters.truncated().increment();
            meters.droppedFields().increment(routed.truncation().droppedFields());
        }
    }

    public void dropped(EventRouter.Dropped event) {
        dropped.computeIfAbsent(
                        event.reason() + '\u0000' + event.rule(),
                        k -> Counter.builder("switchboard.router.dropped")
                                .description("events not published by a named policy (progress guard), by reason")
                                .tag("reason", event.reason())
                                .tag("rule", event.rule())
                                .register(registry))
                .increment();
    }

    public void deadLettered(String reason) {
        deadLettered
                .computeIfAbsent(
                        reason,
                        r -> Counter.builder("switchboard.router.dead_lettered")
                                .description("records sent to realtime.events.dlq, by reason")
                                .tag("reason", r)
                                .register(registry))
                .increment();
    }

    private RuleMeters ruleMeters(String rule) {
        return new RuleMeters(
                Counter.builder("switchboard.router.routed")
                        .description("events routed to realtime.publish, by routing rule")
                        .tag("rule", rule)
                        .register(registry),
                Timer.builder("switchboard.router.route")
                        .description("time to route and truncate one event (without the send)")
                        .tag("rule", rule)
                        .register(registry),
                Counter.builder("switchboard.router.truncated")
                        .description("events whose payload was cut down to the limit, by routing rule")
                        .tag("rule", rule)
                        .register(registry),
                Counter.builder("switchboard.router.truncation_dropped_fields")
                        .description("top-level fields left out because even their reduced form did not fit")
                        .tag("rule", rule)
                        .register(registry));
    }
}
