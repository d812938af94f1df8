package io.switchboard.testkit.pipeline;

import io.switchboard.testkit.PusherStandIn;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the Pusher sink accepted, against what was written: for each (aggregate, seq, channel) pair, delivered once,
 * never, or more than once; per channel, whether sequence numbers arrived in order; and the longest silence: the
 * longest time an aggregate waited between two acceptances (a stalled partition shows there even while the others
 * flow). Deliveries are read from the sink incrementally.
 */
public final class SinkLedger {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The counts for one phase. */
    public record Counts(
            long expected,
            long deliveredOnce,
            long lost,
            long duplicated,
            long outOfOrder,
            double longestSilenceSeconds,
            long duplicatesAcrossACrash,
            double oldestDuplicateBeforeCrashSeconds) {}

    private record Accepted(String pair, String aggregate, String channel, int seq, long nanos) {}

    private final PusherStandIn sink;
    private final List<Accepted> accepted = new ArrayList<>();
    private int read;

    public SinkLedger(PusherStandIn sink) {
        this.sink = sink;
    }

    /** The pairs of these rows: each row reaches {@code private-audit-<agg>} and {@code private-fiche-<agg>-f}. */
    public static Set<String> expectedPairs(List<OutboxFeed.Row> rows) {
        Set<String> pairs = new HashSet<>();
        for (OutboxFeed.Row row : rows) {
            pairs.add(pair(row.aggregate(), row.seq(), "private-audit-" + row.aggregate()));
            pairs.add(pair(row.aggregate(), row.seq(), "private-fiche-" + row.aggregate() + "-f"));
        }
        return pairs;
    }

    /** How many of these pairs the sink has accepted so far. */
    public synchronized long deliveredOf(Set<String> expected) {
        refresh();
        Set<String> seen = new HashSet<>();
        for (Accepted a : accepted) {
            if (expected.contains(a.pair())) {
                seen.add(a.pair());
            }
        }
        return seen.size();
    }

    /** When the sink accepted each pair of the aggregates named {@code prefix-…} (System.nanoTime), in order. */
    public synchronized long[] acceptedNanos(String prefix) {
        refresh();
        return accepted.stream()
                .filter(a -> a.aggregate().startsWith(prefix + "-"))
                .mapToLong(Accepted::nanos)
                .sorted()
                .toArray();
    }

    /** The counts for the aggregates named {@code prefix-…}; silences are measured from {@code fromNanos}. */
    public synchronized Counts count(Set<String> expected, String prefix, long fromNanos) {
        return count(expected, prefix, fromNanos, -1, -1);
    }

    /**
     * As above; with {@code crashNanos} and {@code restartNanos} (when a publisher was killed and when its
     * replacement started, or -1), also how many duplicated pairs were first accepted before the replacement
     * started and again after (a publisher killed with requests in flight repeats what Pusher accepted but it had
     * not recorded yet), and how long before the kill the oldest of them had been accepted.
     */
    public synchronized Counts count(
            Set<String> expected, String prefix, long fromNanos, long crashNanos, long restartNanos) {
        refresh();
        Map<String, Integer> times = new HashMap<>();
        Map<String, Long> firstAccepted = new HashMap<>();
        Map<String, Long> lastAccepted = new HashMap<>();
        Map<String, Integer> lastSeqOfChannel = new HashMap<>();
        Map<String, Long> lastOfAggregate = new HashMap<>();
        long outOfOrder = 0;
        long longestSilence = 0;
        for (Accepted a : accepted) {
            if (!a.aggregate().startsWith(prefix + "-")) {
                continue;
            }
            if (a.nanos() >= fromNanos) {
                Long previous = lastOfAggregate.put(a.aggregate(), a.nanos());
                if (previous != null) {
                    longestSilence = Math.max(longestSilence, a.nanos() - previous);
                }
            }
            firstAccepted.putIfAbsent(a.pair(), a.nanos());
            lastAccepted.put(a.pair(), a.nanos());
            if (times.merge(a.pair(), 1, Integer::sum) > 1) {
                continue; // a repeat is counted once, as a duplicate, not as disorder
            }
            Integer last = lastSeqOfChannel.get(a.channel());
            if (last != null && a.seq() < last) {
                outOfOrder++;
            } else {
                lastSeqOfChannel.put(a.channel(), a.seq());
            }
        }
        long once = times.entrySet().stream()
                .filter(e -> expected.contains(e.getKey()) && e.getValue() == 1)
                .count();
        long duplicated = times.values().stream().filter(n -> n > 1).count();
        long lost = expected.stream().filter(p -> !times.containsKey(p)).count();
        long acrossACrash = 0;
        double oldest = 0;
        for (Map.Entry<String, Integer> pair : times.entrySet()) {
            long first = firstAccepted.get(pair.getKey());
            if (pair.getValue() > 1
                    && restartNanos >= 0
                    && first < restartNanos
                    && lastAccepted.get(pair.getKey()) >= restartNanos) {
                acrossACrash++;
                oldest = Math.max(oldest, (crashNanos - first) / 1e9);
            }
        }
        return new Counts(
                expected.size(), once, lost, duplicated, outOfOrder, longestSilence / 1e9, acrossACrash, oldest);
    }

    private void refresh() {
        List<PusherStandIn.Delivered> all = sink.delivered();
        for (; read < all.size(); read++) {
            PusherStandIn.Delivered d = all.get(read);
            try {
                JsonNode data = JSON.readTree(d.data());
                if (data.has("seq") && data.has("audit_id")) {
                    String aggregate = data.get("audit_id").asString();
                    int seq = data.get("seq").asInt();
                    accepted.add(new Accepted(
                            pair(aggregate, seq, d.channel()), aggregate, d.channel(), seq, d.acceptedNanos()));
                }
            } catch (RuntimeException e) {
                // not one of the feed's events
            }
        }
    }

    private static String pair(String aggregate, int seq, String channel) {
        return aggregate + "#" + seq + "#" + channel;
    }
}
