package io.switchboard.router.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.switchboard.router.routing.EventRouter;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * The router's meters, in one place. Labels are rule names and reason codes, which stay bounded whatever types
 * producers send.
 */
@Component
public class RouterMetrics {

    private final MeterRegistry registry;

    public RouterMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void routed(EventRouter.Routed routed, long nanos) {
        Counter.builder("switchboard.router.routed")
                .description("events routed to realtime.publish, by routing rule")
                .tag("rule", routed.rule())
                .register(registry)
                .increment();
        Timer.builder("switchboard.router.route")
                .description("time to route and durably produce one event")
                .tag("rule", routed.rule())
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
        if (routed.truncation().truncated()) {
            Counter.builder("switchboard.router.truncated")
                    .description("events whose payload was cut down to the limit, by routing rule")
                    .tag("rule", routed.rule())
                    .register(registry)
                    .increment();
            if (routed.truncation().droppedFields() > 0) {
                Counter.builder("switchboard.router.truncation_dropped_fields")
                        .description("top-level fields left out because even their reduced form did not fit")
                        .tag("rule", routed.rule())
                        .register(registry)
                        .increment(routed.truncation().droppedFields());
            }
        }
    }

    public void dropped(EventRouter.Dropped dropped) {
        Counter.builder("switchboard.router.dropped")
                .description("events not published by a named policy (progress guard), by reason")
                .tag("reason", dropped.reason())
                .tag("rule", dropped.rule())
                .register(registry)
                .increment();
    }

    public void deadLettered(String reason) {
        Counter.builder("switchboard.router.dead_lettered")
                .description("records sent to realtime.events.dlq, by reason")
                .tag("reason", reason)
                .register(registry)
                .increment();
    }
}
