package io.switchboard.gateway.console;

import java.util.ArrayList;
import java.util.List;

/**
 * The last {@code capacity} rows of one kind, each with the sequence number it was appended under, so that a page
 * polling with the last number it saw receives only what is new. Not thread-safe: {@link ConsoleState} guards it.
 */
final class Ring<T> {

    private final Object[] rows;
    private final long[] sequences;
    private int next;
    private int size;

    Ring(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a ring holds at least one row, not " + capacity);
        }
        this.rows = new Object[capacity];
        this.sequences = new long[capacity];
    }

    /** Adds a row, forgetting the oldest when full; sequence numbers must grow. */
    void append(long sequence, T row) {
        rows[next] = row;
        sequences[next] = sequence;
        next = (next + 1) % rows.length;
        size = Math.min(size + 1, rows.length);
    }

    /** The rows appended after {@code sequence}, oldest first (at most the capacity: older ones are gone). */
    @SuppressWarnings("unchecked")
    List<T> after(long sequence) {
        List<T> found = new ArrayList<>();
        int oldest = (next - size + rows.length) % rows.length;
        for (int i = 0; i < size; i++) {
            int at = (oldest + i) % rows.length;
            if (sequences[at] > sequence) {
                found.add((T) rows[at]);
            }
        }
        return found;
    }

    int size() {
        return size;
    }
}
