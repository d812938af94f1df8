package io.switchboard.gateway.console;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The pipeline's stages and the counters the console shows for each, as data: the console's name for a counter and
 * the Prometheus metric the stage itself keeps (summed over its tags: rules, reasons). The console reads these from
 * each service's {@code /actuator/prometheus} rather than counting records itself, so its numbers are the ones the
 * alerts and dashboards use.
 */
public enum Stage {
    RELAY("relayed", "switchboard_relay_published", "dead_lettered", "switchboard_relay_dead_lettered"),
    ROUTER(
            "routed", "switchboard_router_routed",
            "dropped", "switchboard_router_dropped",
            "dead_lettered", "switchboard_router_dead_lettered"),
    PUBLISHER(
            "published", "switchboard_publisher_published",
            "deduplicated", "switchboard_publisher_dedupe_hits",
            "dead_lettered", "switchboard_publisher_dead_lettered");

    /** resilience4j's gauge: 1 for the breaker's current state, 0 for the others, tagged name and state. */
    static final String BREAKER_STATE = "resilience4j_circuitbreaker_state";
    /** The publisher's breaker around Pusher (publisher-service ResilienceConfig). */
    static final String BREAKER_NAME = "pusher";

    private final Map<String, String> counters;

    /** Pairs of console name and Prometheus family, in the order the page shows them. */
    Stage(String... pairs) {
        Map<String, String> ordered = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            ordered.put(pairs[i], pairs[i + 1]);
        }
        this.counters = java.util.Collections.unmodifiableMap(ordered);
    }

    /** Console name to Prometheus family name (without {@code _total}). */
    Map<String, String> counters() {
        return counters;
    }

    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
