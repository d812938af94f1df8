package io.switchboard.bench;

import java.util.Arrays;
import java.util.Collection;

/** Nearest-rank percentiles of a set of measurements (latencies in ms, say), computed once on a sorted copy. */
record Percentiles(long count, long p50, long p95, long p99, long max) {

    static Percentiles of(Collection<Long> values) {
        return of(values.stream().mapToLong(Long::longValue).toArray());
    }

    static Percentiles of(long[] values) {
        if (values.length == 0) {
            return new Percentiles(0, 0, 0, 0, 0);
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return new Percentiles(
                sorted.length, at(sorted, 50), at(sorted, 95), at(sorted, 99), sorted[sorted.length - 1]);
    }

    private static long at(long[] sorted, int percentile) {
        int rank = (int) Math.ceil(percentile / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    @Override
    public String toString() {
        return count == 0 ? "-" : String.format("p50 %d, p95 %d, p99 %d, max %d (n=%,d)", p50, p95, p99, max, count);
    }
}
