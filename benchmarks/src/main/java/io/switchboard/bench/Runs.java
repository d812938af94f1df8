package io.switchboard.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Repeated runs of one measurement (events/s, µs per event), reported by their median: the machine is shared and
 * its speed drifts within a run, so one run says little. A few runs, not a distribution: for an even count the
 * median is the mean of the two middle runs (what {@link Percentiles}' nearest rank would not give).
 */
final class Runs {

    private final List<Double> values = new ArrayList<>();

    void add(double value) {
        values.add(value);
    }

    double get(int run) {
        return values.get(run);
    }

    int size() {
        return values.size();
    }

    double median() {
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    /** Each run in {@code format}, in order: "95238, 96102, 94875" for "%.0f". */
    String each(String format) {
        return String.join(
                ", ", values.stream().map(v -> String.format(format, v)).toList());
    }
}
