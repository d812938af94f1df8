package io.switchboard.relay.demo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * How many rows are due, at {@code rate} rows per second from its creation, by the injected clock. A writer that
 * fell behind (the database was down) catches up by at most one second's worth of rows, then goes on at the rate:
 * a demo need not replay the rows it missed in a burst.
 */
public final class DemoPacer {

    private final double rate;
    private final Clock clock;
    private final long maxBacklog;
    private final Instant start;
    private long written;

    /** @param rate rows per second, above 0 */
    public DemoPacer(double rate, Clock clock) {
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("rate must be a positive number of rows per second, was " + rate);
        }
        this.rate = rate;
        this.clock = clock;
        this.maxBacklog = Math.max(1, (long) Math.ceil(rate));
        this.start = clock.instant();
    }

    /** Rows to write now. */
    public int due() {
        long nanos = Duration.between(start, clock.instant()).toNanos();
        long target = (long) Math.floor(nanos / 1e9 * rate);
        if (target - written > maxBacklog) {
            written = target - maxBacklog;
        }
        return (int) Math.max(0, target - written);
    }

    /** One row was written. */
    public void wrote() {
        written++;
    }
}
