package io.switchboard.router.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
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

    public void routed(String rule, long nanos) {
        Counter.builder("switchboard.router.routed")
                .description("events routed to realtime.publish, by routing rule")
                .tag("rule", rule)
                .register(registry)
                .increment();
        Timer.builder("switchboard.router.route")
                .description("time to route and durably produce one event")
                .tag("rule", rule)
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    public void deadLettered(String reason) {
        Counter.builder("switchboard.router.dead_lettered")
                .description("records sent to realtime.events.dlq, by reason")
                .tag("reason", reason)
                .register(registry)
                .increment();
    }
}
