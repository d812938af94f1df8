package io.switchboard.cli.trace;

import io.switchboard.cli.kafka.CliFailure;
import io.switchboard.cli.kafka.ConnectionOptions;
import io.switchboard.cli.kafka.OneLine;
import io.switchboard.cli.kafka.RecordDecoder;
import io.switchboard.cli.kafka.TimeWindow;
import io.switchboard.cli.kafka.TopicReader;
import io.switchboard.cli.kafka.Topics;
import io.switchboard.kafka.trace.Journey;
import io.switchboard.kafka.trace.JourneyFinder;
import io.switchboard.kafka.trace.JourneyReport;
import io.switchboard.kafka.trace.RecordValues;
import io.switchboard.kafka.trace.TopicSource;
import io.switchboard.kafka.trace.TraceQuery;
import io.switchboard.kafka.trace.TraceTopics;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code switchboard trace}: the journey of events, by event id, aggregate, channel or outbox row, within a time
 * window, from realtime.events, realtime.publish, both dead-letter topics and the delivery ledger (docs/ledger.md). The
 * reading and the answer are kafka-support's trace core ({@link JourneyFinder}, {@link JourneyReport}), which the
 * gateway's console shares; this command adds its options, its window, its messages and its output formats.
 */
@Command(
        name = "trace",
        mixinStandardHelpOptions = true,
        description = {
            "Explains what became of events: the outbox row, the record on realtime.events, the router's decision"
                    + " (the rule and channels, a dead letter with its reason, or a policy drop), and Pusher's"
                    + " acceptance per channel with its latency, a duplicate skip, or the publisher's dead letter.",
            "Answers \"user U on channel C says they never got event X\": trace --event-id X --channel C.",
            "Reads realtime.events, realtime.publish, their .dlq topics and realtime.ledger within the window. A"
                    + " record that does not decode (an unknown schema id) is skipped with a note on standard error.",
            "Exit codes: 0 found, 1 Kafka or the events topic failed, or nothing matched while some records in the"
                    + " window could not be decoded, 2 usage, 3 nothing matches (or the window holds no records)."
        })
public final class TraceCommand implements Callable<Integer> {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    /** What to look for: at least one. */
    static final class Target {
        @Option(names = "--event-id", split = ",", paramLabel = "ID", description = "these event ids")
        List<String> eventIds = new ArrayList<>();

        @Option(names = "--aggregate", paramLabel = "ID", description = "events of this aggregate (the Kafka key)")
        String aggregate;

        @Option(
                names = "--outbox-id",
                paramLabel = "N",
                description = "the event of this outbox row id (the switchboard-outbox-id header)")
        String outboxId;
    }

    @ArgGroup(exclusive = false, multiplicity = "0..1")
    Target target = new Target();

    @Option(
            names = "--channel",
            paramLabel = "CHANNEL",
            description = "explain for this channel (alone: every event routed to, published on or skipped on it)")
    String channel;

    @Mixin
    TimeWindow window = new TimeWindow();

    @Option(names = "--events-topic", paramLabel = "TOPIC", description = "default: realtime.events")
    String eventsTopic = "realtime.events";

    @Option(names = "--publish-topic", paramLabel = "TOPIC", description = "default: realtime.publish")
    String publishTopic = "realtime.publish";

    @Option(names = "--ledger-topic", paramLabel = "TOPIC", description = "default: realtime.ledger")
    String ledgerTopic = "realtime.ledger";

    @Option(names = "--json", description = "one JSON object per event, for scripts")
    boolean json;

    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() {
        return OneLine.run(spec, connection, this::run);
    }

    private int run(PrintWriter out, PrintWriter err) {
        TraceQuery query = new TraceQuery(target.eventIds, target.aggregate, target.outboxId, channel);
        if (query.isEmpty()) {
            throw new CliFailure(
                    "say what to trace: --event-id, --aggregate, --outbox-id or --channel", CliFailure.USAGE);
        }
        TimeWindow.Window times = window.resolve(clock, Duration.ofHours(2)); // the default window: 2 h
        Instant end = times.to();
        // --to alone: the 2 h before it, not the whole topic
        Instant start = times.from() != null ? times.from() : end.minus(Duration.ofHours(2));
        Undecodable undecodable = new Undecodable();
        JourneyFinder finder = new JourneyFinder(
                new TraceTopics(eventsTopic, publishTopic, ledgerTopic),
                new RecordValues(connection.registry(), undecodable::add));
        CliTopicSource source = new CliTopicSource(new TopicReader.Range(start, end, null, null));
        JourneyFinder.Result found = finder.find(query, source);
        String where = eventsTopic + ", " + publishTopic + ", their dead-letter topics or " + ledgerTopic + " between "
                + start + " and " + (end == null ? "now" : end);
        if (found.journeys().isEmpty()) {
            if (undecodable.count() > 0) {
                // "nothing matches" would not be an answer: the event may be among the records that were not read
                throw new CliFailure("no event matches " + query.describe() + " in " + where + ", but "
                        + undecodable.describe() + " could not be decoded (" + undecodable.first + ")");
            }
            throw new CliFailure(
                    (source.read == 0
                                    ? "no records in " + where
                                    : "no event matches " + query.describe() + " in " + where)
                            + " (widen --since, or check --bootstrap-servers)",
                    CliFailure.NOTHING_SELECTED);
        }
        if (undecodable.count() > 0) {
            err.println("switchboard trace: note: skipped " + undecodable.describe() + " that could not be decoded ("
                    + undecodable.first + ")");
        }
        for (Journey journey : found.journeys()) {
            String answer = JourneyReport.answer(journey, channel, found.ledger());
            if (json) {
                out.println(JSON.writeValueAsString(toJson(journey, answer)));
            } else {
                JourneyReport.lines(journey).forEach(out::println);
                out.println("  answer      " + answer);
                out.println();
            }
        }
        return 0;
    }

    /** The records within the window that could not be decoded: how many, and the first, where and why. */
    private static final class Undecodable {
        private final Set<String> records = new HashSet<>();
        private String first;

        void add(ConsumerRecord<byte[], byte[]> record, String reason) {
            String where = RecordDecoder.where(record);
            if (records.add(where) && first == null) {
                first = "first " + where + ": " + RecordDecoder.withHint(reason);
            }
        }

        int count() {
            return records.size();
        }

        String describe() {
            return records.size() == 1 ? "1 record in the window" : records.size() + " records in the window";
        }
    }

    /**
     * The topics as this command reads them: within the window, with its connection options, progress lines on
     * standard error, and one-line failures; the events topic must exist (the others are optional, and the trace
     * core asks first), and the cluster's topics are listed once per run.
     */
    private final class CliTopicSource implements TopicSource {
        private final TopicReader reader = new TopicReader(connection);
        private final TopicReader.Range range;
        private Set<String> topicNames;
        /** Records read within the window, in every topic: none means the window is empty, not the query wrong. */
        private long read;

        CliTopicSource(TopicReader.Range range) {
            this.range = range;
        }

        @Override
        public boolean exists(String topic) {
            if (topicNames == null) {
                topicNames = new Topics(connection).names();
            }
            return topicNames.contains(topic);
        }

        @Override
        public List<ConsumerRecord<byte[], byte[]>> read(String topic, Predicate<ConsumerRecord<byte[], byte[]>> keep) {
            return reader.read(
                    reader.partitions(topic, null, option(topic)),
                    range,
                    line -> spec.commandLine().getErr().println(line),
                    record -> {
                        read++;
                        return keep.test(record);
                    });
        }
    }

    /** The option that names {@code topic}, for "does not exist" lines. */
    private String option(String topic) {
        if (topic.equals(eventsTopic) || topic.equals(eventsTopic + ".dlq")) {
            return "--events-topic";
        }
        if (topic.equals(publishTopic) || topic.equals(publishTopic + ".dlq")) {
            return "--publish-topic";
        }
        return topic.equals(ledgerTopic) ? "--ledger-topic" : "--events-topic";
    }

    private ObjectNode toJson(Journey j, String answer) {
        ObjectNode node = JSON.createObjectNode();
        node.put("event_id", j.eventId());
        node.put("type", j.type());
        node.put("aggregate", j.aggregate());
        node.put(
                "committed_at", j.committedAt() == null ? null : j.committedAt().toString());
        ArrayNode relayed = node.putArray("relayed");
        j.eventRecords().forEach(r -> relayed.add(JourneyReport.at(r)));
        ArrayNode relay = node.putArray("relay");
        JourneyReport.relayLines(j).forEach(relay::add);
        ArrayNode replay = node.putArray("replay");
        JourneyReport.replayLines(j).forEach(replay::add);
        ArrayNode router = node.putArray("router");
        JourneyReport.routerLines(j).forEach(router::add);
        ArrayNode publisher = node.putArray("publisher");
        JourneyReport.publisherLines(j).forEach(publisher::add);
        ArrayNode accepted = node.putArray("accepted_on");
        j.accepted().forEach(accepted::add);
        ArrayNode shadow = node.putArray("shadow_delivered_on");
        j.shadowAccepted().forEach(shadow::add);
        ArrayNode outcomes = node.putArray("outcomes");
        j.receipts()
                .forEach(r -> outcomes.add(
                        r.getStage() + ":" + r.getOutcome() + (r.getReason() == null ? "" : ":" + r.getReason())));
        j.deadLetters()
                .forEach(d -> outcomes.add(JourneyReport.nullToDash(d.stage()) + ":DEAD_LETTER_RECORD:" + d.reason()));
        node.put("answer", answer);
        return node;
    }
}
