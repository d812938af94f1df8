package io.switchboard.gateway.console;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Channels with recent traffic and their event rates, from the events published on them: per channel, one counter per
 * second of the rate window (a ring of buckets, so memory does not grow with traffic) and the time of its last event.
 * A channel is listed while its last event is within {@code idleAfter}; at most {@code maxChannels} are tracked, and
 * the one idle longest makes room for a new one. Times are the events' own (when Pusher accepted them), so history
 * read at start-up counts as it happened. Not thread-safe: {@link ConsoleState} guards it.
 */
final class ChannelRates {

    private final int seconds;
    private final Duration idleAfter;
    private final int maxChannels;
    private final Map<String, Buckets> channels = new HashMap<>();

    ChannelRates(Duration window, Duration idleAfter, int maxChannels) {
        if (window.toSeconds() < 1 || idleAfter.compareTo(window) < 0 || maxChannels < 1) {
            throw new IllegalArgumentException("rate window " + window + ", idle after " + idleAfter + ", max channels "
                    + maxChannels + ": need a window of 1 s or more, no shorter than idle-after");
        }
        this.seconds = (int) window.toSeconds();
        this.idleAfter = idleAfter;
        this.maxChannels = maxChannels;
    }

    /** One event on {@code channel} at {@code at}. */
    void record(String channel, Instant at) {
        Buckets buckets = channels.get(channel);
        if (buckets == null) {
            if (channels.size() >= maxChannels) {
                channels.entrySet().stream()
                        .min(Comparator.comparing(e -> e.getValue().last))
                        .ifPresent(e -> channels.remove(e.getKey()));
            }
            buckets = new Buckets(seconds);
            channels.put(channel, buckets);
        }
        buckets.add(at);
    }

    /** Channels whose last event is within idle-after of {@code now}, busiest first, then most recent. */
    List<ChannelRate> snapshot(Instant now) {
        long nowSecond = now.getEpochSecond();
        List<ChannelRate> rates = new ArrayList<>();
        for (Map.Entry<String, Buckets> e : channels.entrySet()) {
            Buckets b = e.getValue();
            if (b.last.isBefore(now.minus(idleAfter))) {
                continue;
            }
            long events = b.count(nowSecond);
            rates.add(new ChannelRate(e.getKey(), events, (double) events / seconds, b.last));
        }
        rates.sort(Comparator.comparingLong(ChannelRate::events)
                .reversed()
                .thenComparing(ChannelRate::last, Comparator.reverseOrder())
                .thenComparing(ChannelRate::channel));
        return rates;
    }

    private static final class Buckets {
        private final long[] counts;
        private final long[] stamps; // the epoch second each bucket counts
        private Instant last = Instant.EPOCH;

        Buckets(int seconds) {
            counts = new long[seconds];
            stamps = new long[seconds];
            java.util.Arrays.fill(stamps, Long.MIN_VALUE);
        }

        void add(Instant at) {
            long second = at.getEpochSecond();
            int i = (int) Math.floorMod(second, (long) counts.length);
            if (stamps[i] != second) {
                if (stamps[i] > second) {
                    // a bucket already reused by a later second: this event is older than the window
                    touch(at);
                    return;
                }
                stamps[i] = second;
                counts[i] = 0;
            }
            counts[i]++;
            touch(at);
        }

        private void touch(Instant at) {
            if (at.isAfter(last)) {
                last = at;
            }
        }

        /** Events in the seconds (now - window, now]. */
        long count(long nowSecond) {
            long total = 0;
            for (int i = 0; i < counts.length; i++) {
                if (stamps[i] > nowSecond - counts.length && stamps[i] <= nowSecond) {
                    total += counts[i];
                }
            }
            return total;
        }
    }
}
