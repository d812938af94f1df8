package io.switchboard.cli.replay;

import io.switchboard.cli.kafka.CliFailure;
import io.switchboard.cli.kafka.TopicRecord;
import io.switchboard.schemas.ChannelPublish;
import io.switchboard.schemas.RealtimeEvent;
import java.util.List;

/**
 * What the Switchboard topics hold, by name: {@code realtime.events} and its dead-letter topic hold
 * {@link RealtimeEvent}s, {@code realtime.publish} and its dead-letter topic {@link ChannelPublish}es (a prefixed name,
 * {@code staging.realtime.events}, holds the same). A replay that would write one kind into a topic of the other is
 * refused before anything is sent: the router would dead-letter every record of it (NOT_DESERIALIZABLE).
 */
final class TopicValues {

    private TopicValues() {}

    /** The value type of a Switchboard topic, or null for a topic this build does not know. */
    static Class<?> of(String topic) {
        if (topic.endsWith("realtime.events") || topic.endsWith("realtime.events.dlq")) {
            return RealtimeEvent.class;
        }
        if (topic.endsWith("realtime.publish") || topic.endsWith("realtime.publish.dlq")) {
            return ChannelPublish.class;
        }
        return null;
    }

    /** Refuses (exit 2) a {@code --to-topic} of known type that the selection's values are not. */
    static void checkReplay(List<TopicRecord> selected, String from, String to) {
        Class<?> expected = of(to);
        if (expected == null) {
            return;
        }
        List<TopicRecord> other =
                selected.stream().filter(r -> !expected.isInstance(r.value())).toList();
        if (!other.isEmpty()) {
            int n = other.size();
            String kind = other.get(0).value().getClass().getSimpleName();
            throw new CliFailure(
                    "--to-topic " + to + " holds " + expected.getSimpleName() + " records, but " + n + " of the "
                            + selected.size() + " selected in " + from + (n == 1 ? " is a " : " are ") + kind
                            + (n == 1 ? " record" : " records") + ": nothing was sent (the consumer of " + to
                            + " would dead-letter " + (n == 1 ? "it" : "them") + ")",
                    CliFailure.USAGE);
        }
    }

    /** Refuses (exit 2) a {@code --publish-topic} known to hold other records than the ChannelPublish it writes. */
    static void checkShadow(String publishTopic) {
        Class<?> expected = of(publishTopic);
        if (expected != null && expected != ChannelPublish.class) {
            throw new CliFailure(
                    "--publish-topic " + publishTopic + " holds " + expected.getSimpleName() + " records, but"
                            + " --shadow-prefix writes ChannelPublish records (the publisher's input, e.g."
                            + " realtime.publish)",
                    CliFailure.USAGE);
        }
    }
}
