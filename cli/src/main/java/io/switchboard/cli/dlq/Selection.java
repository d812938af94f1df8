package io.switchboard.cli.dlq;

import io.switchboard.cli.kafka.CliFailure;
import io.switchboard.cli.kafka.TimeWindow;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import picocli.CommandLine.Mixin;
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

    @Mixin
    TimeWindow window = new TimeWindow();

    TimeWindow.Window window(Clock clock) {
        return window.resolve(clock, null);
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

    /**
     * The one line for an empty selection, exit 3 as replay's and trace's: {@code no dead letters in TOPICS WINDOW}
     * when the window holds none, {@code none of the N dead letters in TOPICS WINDOW matches --reason R} when the
     * filters matched none of them; then {@code after}.
     */
    CliFailure nothing(DlqTopics connection, TimeWindow.Window window, long inWindow, String after) {
        String where = String.join(" and ", topicNames(connection)) + " " + window.describe();
        return new CliFailure(
                inWindow == 0 || isEmpty()
                        ? "no dead letters in " + where + after
                        : "none of the " + inWindow + " dead letter" + (inWindow == 1 ? "" : "s") + " in " + where
                                + " matches " + options() + after,
                CliFailure.NOTHING_SELECTED);
    }

    boolean isEmpty() {
        return reasons.isEmpty() && stages.isEmpty() && eventIds.isEmpty();
    }

    /** The filters as they were given: {@code --reason A,B --stage router}. */
    String options() {
        List<String> parts = new ArrayList<>();
        if (!reasons.isEmpty()) {
            parts.add("--reason " + String.join(",", reasons));
        }
        if (!stages.isEmpty()) {
            parts.add("--stage " + String.join(",", stages));
        }
        if (!eventIds.isEmpty()) {
            parts.add("--event-id " + String.join(",", eventIds));
        }
        return String.join(" ", parts);
    }

    /** The filters in words, for "no dead letters ..." lines. */
    String describe(DlqTopics connection, TimeWindow.Window window) {
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
