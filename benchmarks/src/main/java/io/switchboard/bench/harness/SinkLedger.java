package io.switchboard.bench.harness;

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
 * never, or more than once; per channel, whether sequence numbers arrived in order; and the longest silence between
 * two acceptances. Deliveries are read from the sink incrementally.
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
            double longestSilenceSeconds) {}

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

    /** The counts for the aggregates named {@code prefix-…}; silences are measured from {@code fromNanos}. */
    public synchronized Counts count(Set<String> expected, String prefix, long fromNanos) {
        refresh();
        Map<String, Integer> times = new HashMap<>();
        Map<String, Integer> lastSeqOfChannel = new HashMap<>();
        long outOfOrder = 0;
        long previous = -1;
        long longestSilence = 0;
        for (Accepted a : accepted) {
            if (!a.aggregate().startsWith(prefix + "-")) {
                continue;
            }
            if (a.nanos() >= fromNanos) {
                if (previous >= 0) {
                    longestSilence = Math.max(longestSilence, a.nanos() - previous);
                }
                previous = a.nanos();
            }
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
        return new Counts(expected.size(), once, lost, duplicated, outOfOrder, longestSilence / 1e9);
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
