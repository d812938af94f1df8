package io.switchboard.cli.kafka;

import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A bound on records a second for the commands that write (dlq redrive, replay): {@code --rate 50/s}. */
public final class Rate {

    private final long intervalNanos;
    private long next = System.nanoTime();

    /** @param perSecond more than 0 */
    public Rate(double perSecond) {
        if (!(perSecond > 0)) {
            throw new IllegalArgumentException("a rate is more than 0 records a second, not " + perSecond);
        }
        this.intervalNanos = (long) (1_000_000_000L / perSecond);
    }

    /**
     * Waits until the next record may go: the first at once, then each at least 1/rate seconds after the one before,
     * so N records span at least (N - 1)/rate seconds. Time spent idle earns no credit (the next record still waits a
     * full interval after the last), and a park that returns early (it may, spuriously) parks again.
     */
    public void acquire() {
        for (long wait = next - System.nanoTime();
                wait > 0 && !Thread.currentThread().isInterrupted();
                wait = next - System.nanoTime()) {
            LockSupport.parkNanos(wait);
        }
        next = Math.max(next, System.nanoTime()) + intervalNanos;
    }

    /** {@code 50/s}, {@code 50}: records a second, more than 0. */
    public static final class Converter implements ITypeConverter<Double> {
        private static final Pattern RATE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(?:/s)?");

        @Override
        public Double convert(String value) {
            Matcher m = RATE.matcher(value.trim());
            if (!m.matches() || Double.parseDouble(m.group(1)) <= 0) {
                throw new TypeConversionException("'" + value + "' is not a rate: write N/s with N > 0, e.g. 50/s");
            }
            return Double.parseDouble(m.group(1));
        }
    }
}
