package io.switchboard.publisher.dedupe;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.agrona.collections.Long2LongHashMap;
import org.apache.commons.codec.digest.MurmurHash3;

/**
 * A bounded in-memory store for one instance and for development: at most {@code capacity} pairs, each kept for
 * the window; the oldest go first when full. Not shared between replicas: use Redis for that.
 *
 * <p>A pair is kept as the 128-bit MurmurHash3 fingerprint of {@code eventId NUL channel}, in primitive arrays: a
 * ring in the order pairs were recorded (fingerprint and expiry), and a primitive map (Agrona) from the
 * fingerprint's first 64 bits to the ring slot. No object is kept per pair, so the store costs the garbage
 * collector nothing however full it is: a map of strings kept about 150 bytes per pair alive, which young
 * collections copied and promoted, and measured 2 µs of the publisher's CPU per event at 500,000 pairs
 * (docs/benchmarks.md). It takes 24 bytes per pair in the ring, allocated at start, and about 32 in the map.
 *
 * <p>A pair counts as delivered only when all 128 bits match: for an event to be skipped wrongly, its fingerprint
 * would have to equal one of the stored ones, a chance of about 10<sup>-33</sup> per look-up at 500,000 pairs. Two
 * pairs that share only the first 64 bits (a chance of about 3·10<sup>-14</sup> per recording at 500,000 pairs)
 * make the store forget the older one: a possible repeat, never a loss.
 *
 * <p>Written here, not taken from a cache library: Caffeine, the one at hand, keeps an object per entry, and its
 * eviction admits by frequency, so a full store could keep old pairs and refuse the newest, which are the ones a
 * redelivery asks about.
 */
public final class InMemoryDedupeStore implements DedupeStore {

    private static final long NONE = -1;

    private final long windowMillis;
    private final Clock clock;
    private final int capacity;
    /**
     * The ring, oldest pair at {@code head}: for slot {@code i}, the fingerprint's halves at {@code 3i} and
     * {@code 3i+1} and the expiry (epoch ms) at {@code 3i+2}, side by side so that checking a pair touches one cache
     * line rather than one per array.
     */
    private final long[] ring;

    private final Long2LongHashMap slots;
    private int head;
    private int size;

    public InMemoryDedupeStore(Duration window, int capacity, Clock clock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, not " + capacity);
        }
        this.windowMillis = window.toMillis();
        this.clock = clock;
        this.capacity = capacity;
        this.ring = new long[Math.multiplyExact(capacity, 3)];
        this.slots = new Long2LongHashMap(Math.min(capacity, 1 << 16), 0.65f, NONE);
    }

    @Override
    public synchronized List<String> undelivered(String eventId, List<String> channels) {
        return undelivered(eventId, channels, clock.millis());
    }

    @Override
    public synchronized Map<String, List<String>> undelivered(Map<String, List<String>> events) {
        long now = clock.millis();
        Map<String, List<String>> answer = new LinkedHashMap<>();
        events.forEach((id, channels) -> answer.put(id, undelivered(id, channels, now)));
        return answer;
    }

    @Override
    public synchronized void delivered(String eventId, List<String> channels) {
        delivered(eventId, channels, clock.millis());
    }

    @Override
    public synchronized void delivered(Map<String, List<String>> events) {
        long now = clock.millis();
        events.forEach((id, channels) -> delivered(id, channels, now));
    }

    /** The channels not delivered yet; {@code channels} itself when that is all of them (nothing to copy). */
    private List<String> undelivered(String eventId, List<String> channels, long now) {
        List<String> undelivered = null;
        for (int i = 0; i < channels.size(); i++) {
            boolean delivered = contains(fingerprint(eventId, channels.get(i)), now);
            if (delivered && undelivered == null) {
                undelivered = new ArrayList<>(channels.subList(0, i));
            } else if (!delivered && undelivered != null) {
                undelivered.add(channels.get(i));
            }
        }
        return undelivered == null ? channels : undelivered;
    }

    private void delivered(String eventId, List<String> channels, long now) {
        forgetExpired(now);
        for (String channel : channels) {
            long[] pair = fingerprint(eventId, channel);
            if (contains(pair, now)) {
                continue; // set-if-absent: the first delivery's expiry stands
            }
            if (size == capacity) {
                forgetOldest();
            }
            int slot = (head + size) % capacity;
            ring[3 * slot] = pair[0];
            ring[3 * slot + 1] = pair[1];
            ring[3 * slot + 2] = now + windowMillis;
            slots.put(pair[0], slot); // replaces an expired pair, or one sharing the first 64 bits (see above)
            size++;
        }
    }

    private boolean contains(long[] pair, long now) {
        long slot = slots.get(pair[0]);
        return slot != NONE && ring[3 * (int) slot + 1] == pair[1] && ring[3 * (int) slot + 2] > now;
    }

    /** Pairs expire in the order they were recorded (one window for all): the expired ones are at the head. */
    private void forgetExpired(long now) {
        while (size > 0 && ring[3 * head + 2] <= now) {
            forgetOldest();
        }
    }

    private void forgetOldest() {
        slots.remove(ring[3 * head], head); // unless a later pair took its place in the map
        head = (head + 1) % capacity;
        size--;
    }

    static long[] fingerprint(String eventId, String channel) {
        return MurmurHash3.hash128x64((eventId + '\u0000' + channel).getBytes(StandardCharsets.UTF_8));
    }
}
