package io.switchboard.cli.kafka;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import picocli.CommandLine.Option;

/**
 * The time window of a command that reads topics: {@code --since}, or {@code --from} and {@code --to}, on the
 * records' Kafka timestamps. One mixin for dlq, replay and trace, so the three read and check a window alike.
 */
public final class TimeWindow {

    @Option(
            names = "--since",
            paramLabel = "DURATION",
            converter = Durations.Converter.class,
            description = "records written in the last DURATION (90s, 15m, 2h, 7d)")
    public Duration since;

    @Option(
            names = "--from",
            paramLabel = "TIME",
            converter = Durations.InstantConverter.class,
            description = "records written at or after TIME (ISO-8601, e.g. 2026-12-03T09:00:00Z)")
    public Instant from;

    @Option(
            names = "--to",
            paramLabel = "TIME",
            converter = Durations.InstantConverter.class,
            description = "records written at or before TIME (ISO-8601)")
    public Instant to;

    /** A resolved window; either bound may be null (open). */
    public record Window(Instant from, Instant to) {

        public String describe() {
            if (from == null && to == null) {
                return "at any time";
            }
            if (to == null) {
                return "since " + from;
            }
            return (from == null ? "up to " : "between " + from + " and ") + to;
        }
    }

    /** Whether any of the three was given. */
    public boolean given() {
        return since != null || from != null || to != null;
    }

    /**
     * The window, or {@code since} before now when none was given ({@code byDefault} null: the whole topic); a usage
     * failure when --since is combined with --from or --to, or --from is after --to.
     */
    public Window resolve(Clock clock, Duration byDefault) {
        if (since != null && (from != null || to != null)) {
            throw new CliFailure("--since cannot be combined with --from or --to: choose one window", CliFailure.USAGE);
        }
        if (from != null && to != null && from.isAfter(to)) {
            throw new CliFailure("--from " + from + " is after --to " + to, CliFailure.USAGE);
        }
        Duration last = since != null ? since : from == null && to == null ? byDefault : null;
        if (last != null) {
            Instant now = clock.instant();
            return new Window(now.minus(last), now);
        }
        return new Window(from, to);
    }
}
