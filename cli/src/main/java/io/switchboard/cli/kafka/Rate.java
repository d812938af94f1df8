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
        this.intervalNanos = (long) (1_000_000_000L / perSecond);
    }

    /** Waits until the next record may go: the first at once, then one every 1/rate seconds, without bursts. */
    public void acquire() {
        long wait = next - System.nanoTime();
        if (wait > 0) {
            LockSupport.parkNanos(wait);
        }
        next = Math.max(next, System.nanoTime() - intervalNanos) + intervalNanos;
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
