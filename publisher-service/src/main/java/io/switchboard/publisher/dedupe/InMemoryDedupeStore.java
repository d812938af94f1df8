package io.switchboard.publisher.dedupe;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A bounded in-memory store for one instance and for development: at most {@code capacity} pairs, each kept for
 * the window; the oldest entries go first when full. Not shared between replicas: use Redis for that.
 */
public final class InMemoryDedupeStore implements DedupeStore {

    private final Duration window;
    private final Clock clock;
    private final Map<String, Instant> expiries;

    public InMemoryDedupeStore(Duration window, int capacity, Clock clock) {
        this.window = window;
        this.clock = clock;
        this.expiries = new LinkedHashMap<>(1024, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
                return size() > capacity;
            }
        };
    }

    @Override
    public synchronized List<String> undelivered(String eventId, List<String> channels) {
        Instant now = clock.instant();
        List<String> undelivered = new ArrayList<>(channels.size());
        for (String channel : channels) {
            Instant expiry = expiries.get(key(eventId, channel));
            if (expiry == null || !expiry.isAfter(now)) {
                undelivered.add(channel);
            }
        }
        return undelivered;
    }

    @Override
    public synchronized void delivered(String eventId, List<String> channels) {
        Instant expiry = clock.instant().plus(window);
        for (String channel : channels) {
            expiries.putIfAbsent(key(eventId, channel), expiry);
        }
    }

    static String key(String eventId, String channel) {
        return eventId + '\u0000' + channel;
    }
}
