package io.switchboard.cli.dlq;

import io.switchboard.cli.kafka.CliFailure;
import io.switchboard.cli.kafka.Durations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import picocli.CommandLine.Option;

/** Which dead letters a command looks at: topics, a time window, reasons, stages, event ids. */
final class Selection {

    /** The dead-letter topics by their role. */
    enum Topics {
        events,
        publish,
        both
    }

    @Option(
            names = "--topic",
            paramLabel = "events|publish|both",
            description = "realtime.events.dlq (relay and router), realtime.publish.dlq (publisher), or both (default)")
    Topics topics = Topics.both;

    @Option(
            names = "--reason",
            split = ",",
            paramLabel = "REASON",
            description = "only these reason codes (switchboard-reason), e.g. UNKNOWN_SCHEMA_ID,PUSHER_REJECTED")
    List<String> reasons = new ArrayList<>();

    @Option(
            names = "--stage",
            split = ",",
            paramLabel = "relay|router|publisher",
            description = "only dead letters of these stages (switchboard-stage)")
    List<String> stages = new ArrayList<>();

    @Option(
            names = "--event-id",
            split = ",",
            paramLabel = "ID",
            description = "only dead letters of these event ids (switchboard-event-id)")
    List<String> eventIds = new ArrayList<>();

    @Option(
            names = "--since",
            paramLabel = "DURATION",
            converter = Durations.Converter.class,
            description = "only dead letters written in the last DURATION (90s, 15m, 2h, 7d)")
    Duration since;

    @Option(
            names = "--from",
            paramLabel = "TIME",
            converter = Durations.InstantConverter.class,
            description = "only dead letters written at or after TIME (ISO-8601, e.g. 2026-12-03T09:00:00Z)")
    Instant from;

    @Option(
            names = "--to",
            paramLabel = "TIME",
            converter = Durations.InstantConverter.class,
            description = "only dead letters written at or before TIME (ISO-8601)")
    Instant to;

    /** The resolved window; throws a usage failure when --since is combined with --from or --to. */
    record Window(Instant from, Instant to) {
        String describe() {
            if (from == null && to == null) {
                return "at any time";
            }
            if (to == null) {
                return "since " + from;
            }
            return (from == null ? "up to " : "between " + from + " and ") + to;
        }
    }

    Window window(Clock clock) {
        if (since != null && (from != null || to != null)) {
            throw new CliFailure("--since cannot be combined with --from or --to: choose one window", CliFailure.USAGE);
        }
        if (from != null && to != null && from.isAfter(to)) {
            throw new CliFailure("--from " + from + " is after --to " + to, CliFailure.USAGE);
        }
        if (since != null) {
            Instant now = clock.instant();
            return new Window(now.minus(since), now);
        }
        return new Window(from, to);
    }

    List<String> topicNames(DlqTopics connection) {
        return switch (topics) {
            case events -> List.of(connection.eventsDlq);
            case publish -> List.of(connection.publishDlq);
            case both -> List.of(connection.eventsDlq, connection.publishDlq);
        };
    }

    Predicate<DeadLetter> filter() {
        return letter -> (reasons.isEmpty() || reasons.contains(letter.reason()))
                && (stages.isEmpty() || stages.contains(letter.stage()))
                && (eventIds.isEmpty() || eventIds.contains(letter.eventId()));
    }

    /** The filters in words, for "no dead letters ..." lines. */
    String describe(DlqTopics connection, Window window) {
        StringBuilder text = new StringBuilder(String.join(" and ", topicNames(connection)));
        if (!reasons.isEmpty()) {
            text.append(" with reason ").append(String.join(" or ", reasons));
        }
        if (!stages.isEmpty()) {
            text.append(" of stage ").append(String.join(" or ", stages));
        }
        if (!eventIds.isEmpty()) {
            text.append(" for event ").append(String.join(" or ", eventIds));
        }
        return text.append(' ').append(window.describe()).toString();
    }
}
