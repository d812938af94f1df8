package io.switchboard.router.guard;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Progress never goes backwards (contracts section 5). For one entity and event type, an event whose
 * {@code percent}, {@code progress} or {@code progress_percentage} is lower than the last one routed is dropped.
 * Terminal events (a type whose last segment ends in completed, complete, failed or cancelled, or such a status)
 * always pass and forget
 * the entity's progress, so a new run may start again from zero.
 *
 * <p>State is an LRU map of at most {@code capacity} entries, in memory: it forgets the least recently updated
 * entities first, and an instance that takes over a partition starts empty (the first event of each entity passes,
 * so one stale event may pass right after a rebalance). Thread-safe.
 */
public final class ProgressGuard {

    private static final List<String> PROGRESS_FIELDS = List.of("percent", "progress", "progress_percentage");
    private static final List<String> TERMINAL_SUFFIXES =
            List.of("completed", "complete", "failed", "cancelled", "canceled");
    private static final Set<String> TERMINAL =
            Set.of("completed", "complete", "failed", "cancelled", "canceled", "completed_with_failures");

    /** An entity's event type: the guard's key. */
    private record Key(String entity, String type) {}

    private final Map<Key, Double> last;

    public ProgressGuard(int capacity) {
        this.last = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Double> eldest) {
                return size() > capacity;
            }
        };
    }

    /**
     * True when the event may be routed. {@code entity} is the aggregate id (the Kafka key); without one there is
     * nothing to compare and the event passes.
     */
    public synchronized boolean admit(String entity, String type, JsonNode payload) {
        if (entity == null) {
            return true;
        }
        Key key = new Key(entity, type);
        if (isTerminal(type, payload)) {
            last.remove(key);
            return true;
        }
        Double progress = progress(payload);
        if (progress == null) {
            return true;
        }
        Double previous = last.get(key);
        if (previous != null && progress < previous) {
            return false;
        }
        last.put(key, progress);
        return true;
    }

    public synchronized int size() {
        return last.size();
    }

    static Double progress(JsonNode payload) {
        for (String field : PROGRESS_FIELDS) {
            JsonNode value = payload.get(field);
            if (value != null && value.isNumber()) {
                return value.asDouble();
            }
        }
        return null;
    }

    static boolean isTerminal(String type, JsonNode payload) {
        int dot = type.lastIndexOf('.');
        String last = (dot < 0 ? type : type.substring(dot + 1)).toLowerCase();
        if (TERMINAL.contains(last)
                || last.startsWith("job") && (last.endsWith("completed") || last.endsWith("failed"))) {
            return true;
        }
        JsonNode status = payload.get("status");
        return status != null
                && status.isString()
                && TERMINAL.contains(status.asString().toLowerCase());
    }
}
