package io.switchboard.cli.trace;

import io.switchboard.cli.kafka.CliFailure;
import io.switchboard.cli.kafka.ConnectionOptions;
import io.switchboard.cli.kafka.RecordDecoder;
import io.switchboard.cli.kafka.TimeWindow;
import io.switchboard.cli.kafka.TopicReader;
import io.switchboard.cli.kafka.TopicRecord;
import io.switchboard.cli.kafka.Topics;
import io.switchboard.kafka.DeadLetterHeaders;
import io.switchboard.schemas.ChannelPublish;
import io.switchboard.schemas.DeliveryReceipt;
import io.switchboard.schemas.RealtimeEvent;
import io.switchboard.schemas.wire.SchemaRegistry;
import io.switchboard.schemas.wire.WireFormat;
import io.switchboard.schemas.wire.WireFormatException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
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
 * window, from realtime.events, realtime.publish, both dead-letter topics and the delivery ledger (docs/ledger.md).
 */
@Command(
        name = "trace",
        mixinStandardHelpOptions = true,
        description = {
            "Explains what became of events: the outbox row, the record on realtime.events, the router's decision"
                    + " (the rule and channels, a dead letter with its reason, or a policy drop), and Pusher's"
                    + " acceptance per channel with its latency, a duplicate skip, or the publisher's dead letter.",
            "Answers \"user U on channel C says they never got event X\": trace --event-id X --channel C.",
            "Reads realtime.events, realtime.publish, their .dlq topics and realtime.ledger within the window."
        })
public final class TraceCommand implements Callable<Integer> {

    static final int NOTHING_FOUND = 3;
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

    private Set<String> topicNames;
    /** Values decoded by a read's filter for the records it kept, until the caller takes them. */
    private final Map<ConsumerRecord<byte[], byte[]>, Object> decoded = new IdentityHashMap<>();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            int exit = run(out);
            out.flush();
            return exit;
        } catch (CliFailure e) {
            out.flush();
            err.println("switchboard trace: " + e.getMessage());
            err.flush();
            return e.exit();
        }
    }

    private int run(PrintWriter out) {
        if (target.eventIds.isEmpty() && target.aggregate == null && target.outboxId == null && channel == null) {
            throw new CliFailure(
                    "say what to trace: --event-id, --aggregate, --outbox-id or --channel", CliFailure.USAGE);
        }
        TimeWindow.Window times = window.resolve(clock, Duration.ofHours(2)); // the default window: 2 h
        Instant end = times.to();
        // --to alone: the 2 h before it, not the whole topic
        Instant start = times.from() != null ? times.from() : end.minus(Duration.ofHours(2));
        TopicReader.Range range = new TopicReader.Range(start, end, null, null);
        TopicReader reader = new TopicReader(connection);
        SchemaRegistry registry = connection.registry();
        RecordDecoder decoder = new RecordDecoder(registry);
        Map<String, Journey> journeys = new LinkedHashMap<>();
        // each topic is read once, keeping only what concerns the events asked about (their ids grow as the
        // topics are read), so a long window is never held in memory whole
        Set<String> ids = new HashSet<>(target.eventIds);
        Consumer<String> progress = line -> spec.commandLine().getErr().println(line);
        if (ids.isEmpty() && target.aggregate == null && target.outboxId == null) { // --channel alone
            for (ConsumerRecord<byte[], byte[]> record : read(reader, publishTopic, range, false, progress, r -> {
                TopicRecord decoded = decodeOrNull(decoder, r);
                return decoded != null
                        && decoded.value() instanceof ChannelPublish p
                        && p.getChannels().contains(channel)
                        && kept(r, p);
            })) {
                ids.add(((ChannelPublish) take(record)).getEventId());
            }
            if (exists(ledgerTopic)) {
                for (ConsumerRecord<byte[], byte[]> record : read(reader, ledgerTopic, range, false, progress, r -> {
                    DeliveryReceipt receipt = receipt(r, registry);
                    return receipt != null && receipt.getChannels().contains(channel) && kept(r, receipt);
                })) {
                    ids.add(((DeliveryReceipt) take(record)).getEventId());
                }
            }
        }

        for (ConsumerRecord<byte[], byte[]> record : read(reader, eventsTopic, range, true, progress, r -> {
            TopicRecord decoded = decodeOrNull(decoder, r);
            return decoded != null
                    && decoded.value() instanceof RealtimeEvent e
                    && wanted(e, key(r), ids)
                    && kept(r, e);
        })) {
            RealtimeEvent event = (RealtimeEvent) take(record);
            ids.add(event.getEventId());
            Journey journey = journeys.computeIfAbsent(event.getEventId(), Journey::new);
            journey.eventRecords.add(record);
            if (journey.event == null) {
                journey.event = event;
            }
        }
        for (ConsumerRecord<byte[], byte[]> record : read(reader, publishTopic, range, false, progress, r -> {
            TopicRecord decoded = decodeOrNull(decoder, r);
            return decoded != null
                    && decoded.value() instanceof ChannelPublish p
                    && (ids.contains(p.getEventId()) || key(r) != null && key(r).equals(target.aggregate))
                    && kept(r, p);
        })) {
            ChannelPublish publish = (ChannelPublish) take(record);
            ids.add(publish.getEventId());
            Journey journey = journeys.computeIfAbsent(publish.getEventId(), Journey::new);
            journey.publishRecords.add(record);
            journey.publishes.add(publish);
        }
        for (String dlq : List.of(eventsTopic + ".dlq", publishTopic + ".dlq")) {
            for (ConsumerRecord<byte[], byte[]> record : read(reader, dlq, range, false, progress, r -> {
                String eventId = header(r, DeadLetterHeaders.EVENT_ID);
                return eventId != null && (ids.contains(eventId) || key(r) != null && key(r).equals(target.aggregate));
            })) {
                String eventId = header(record, DeadLetterHeaders.EVENT_ID);
                ids.add(eventId);
                journeys.computeIfAbsent(eventId, Journey::new)
                        .deadLetters
                        .add(new Journey.DeadLetter(
                                record,
                                header(record, DeadLetterHeaders.STAGE),
                                header(record, DeadLetterHeaders.REASON),
                                header(record, DeadLetterHeaders.REASON_TEXT),
                                header(record, "switchboard-http-status"),
                                header(record, "switchboard-pusher-message")));
            }
        }
        boolean ledger = exists(ledgerTopic);
        if (ledger) { // receipts are keyed by event id
            for (ConsumerRecord<byte[], byte[]> record :
                    read(reader, ledgerTopic, range, false, progress, r -> ids.contains(key(r)))) {
                DeliveryReceipt receipt = receipt(record, registry);
                if (receipt != null) {
                    journeys.computeIfAbsent(receipt.getEventId(), Journey::new)
                            .receipts
                            .add(receipt);
                }
            }
        }

        List<Journey> selected =
                journeys.values().stream().filter(this::selected).toList();
        if (selected.isEmpty()) {
            throw new CliFailure(
                    "no event matches " + describeTarget() + " in " + eventsTopic + ", " + publishTopic
                            + ", their dead-letter topics or " + ledgerTopic + " between " + start + " and "
                            + (end == null ? "now" : end) + " (widen --since, or check --bootstrap-servers)",
                    NOTHING_FOUND);
        }
        for (Journey journey : selected) {
            if (json) {
                out.println(JSON.writeValueAsString(toJson(journey, ledger)));
            } else {
                print(out, journey, ledger);
            }
        }
        return 0;
    }

    private boolean selected(Journey journey) {
        if (!target.eventIds.isEmpty() && !target.eventIds.contains(journey.eventId)) {
            return false;
        }
        if (target.aggregate != null && !target.aggregate.equals(journey.aggregate())) {
            return false;
        }
        if (target.outboxId != null
                && (journey.event == null
                        || !target.outboxId.equals(journey.event.getHeaders().get(DeadLetterHeaders.OUTBOX_ID)))) {
            return false;
        }
        boolean named = !target.eventIds.isEmpty() || target.aggregate != null || target.outboxId != null;
        return named || channel == null || journey.touches(channel);
    }

    private String describeTarget() {
        List<String> parts = new ArrayList<>();
        if (!target.eventIds.isEmpty()) {
            parts.add("--event-id " + String.join(",", target.eventIds));
        }
        if (target.aggregate != null) {
            parts.add("--aggregate " + target.aggregate);
        }
        if (target.outboxId != null) {
            parts.add("--outbox-id " + target.outboxId);
        }
        if (channel != null) {
            parts.add("--channel " + channel);
        }
        return String.join(" ", parts);
    }

    /**
     * The records of a topic in the window that {@code keep} accepts; an optional topic that does not exist (no dead
     * letters yet, the ledger off) reads as empty. Any other failure is one line.
     */
    private List<ConsumerRecord<byte[], byte[]>> read(
            TopicReader reader,
            String topic,
            TopicReader.Range range,
            boolean required,
            Consumer<String> progress,
            Predicate<ConsumerRecord<byte[], byte[]>> keep) {
        if (!required && !exists(topic)) {
            return List.of();
        }
        return reader.read(reader.partitions(topic, null), range, progress, keep);
    }

    /** The cluster's topics, listed once per run. */
    private boolean exists(String topic) {
        if (topicNames == null) {
            topicNames = new Topics(connection).names();
        }
        return topicNames.contains(topic);
    }

    /** Remembers the value a filter decoded for a record it keeps, so that the record is decoded once. */
    private boolean kept(ConsumerRecord<byte[], byte[]> record, Object value) {
        decoded.put(record, value);
        return true;
    }

    private Object take(ConsumerRecord<byte[], byte[]> record) {
        return decoded.remove(record);
    }

    private boolean wanted(RealtimeEvent event, String key, Set<String> ids) {
        return ids.contains(event.getEventId())
                || target.aggregate != null && target.aggregate.equals(key)
                || target.outboxId != null
                        && target.outboxId.equals(event.getHeaders().get(DeadLetterHeaders.OUTBOX_ID));
    }

    private static String key(ConsumerRecord<byte[], byte[]> record) {
        return record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    }

    private static TopicRecord decodeOrNull(RecordDecoder decoder, ConsumerRecord<byte[], byte[]> record) {
        try {
            return decoder.decode(record);
        } catch (CliFailure e) {
            return null; // an undecodable record has no event id to match; dlq show explains it
        }
    }

    private static DeliveryReceipt receipt(ConsumerRecord<byte[], byte[]> record, SchemaRegistry registry) {
        try {
            return WireFormat.decode(record.value(), registry, DeliveryReceipt.getClassSchema());
        } catch (WireFormatException | org.apache.avro.AvroRuntimeException e) {
            return null;
        }
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static String at(ConsumerRecord<?, ?> record) {
        return record.topic() + " " + record.partition() + "@" + record.offset() + " at "
                + Instant.ofEpochMilli(record.timestamp());
    }

    private void print(PrintWriter out, Journey j, boolean ledger) {
        out.println("event " + j.eventId + "  " + nullToDash(j.type()) + "  aggregate " + nullToDash(j.aggregate()));
        Instant committed = j.committedAt();
        String outboxRow = j.event == null ? null : j.event.getHeaders().get(DeadLetterHeaders.OUTBOX_ID);
        if (committed != null) {
            out.println("  committed   " + committed + (outboxRow == null ? "" : "  (outbox row " + outboxRow + ")"));
        }
        for (int i = 0; i < j.eventRecords.size(); i++) {
            out.println("  relayed     " + at(j.eventRecords.get(i))
                    + (i == 0 ? "" : "  (again: a repeat or a replay of the same event)"));
        }
        for (String line : routerLines(j)) {
            out.println("  router      " + line);
        }
        for (String line : publisherLines(j)) {
            out.println("  publisher   " + line);
        }
        out.println("  answer      " + answer(j, ledger));
        out.println();
    }

    private static List<String> routerLines(Journey j) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < j.publishes.size(); i++) {
            ChannelPublish p = j.publishes.get(i);
            String rule = p.getHeaders().get("switchboard-rule");
            lines.add("routed" + (rule == null ? "" : " by rule '" + rule + "'") + " to "
                    + String.join(", ", p.getChannels()) + (p.getTruncated() ? " (payload truncated)" : "") + "  ("
                    + at(j.publishRecords.get(i)) + ")");
        }
        for (Journey.DeadLetter d : j.deadLetters) {
            if (!"publisher".equals(d.stage())) {
                lines.add("dead-lettered by the " + nullToDash(d.stage()) + ": " + d.reason() + " "
                        + nullToDash(d.text()) + "  (" + at(d.record()) + ")");
            }
        }
        for (DeliveryReceipt r : j.receipts("DROPPED")) {
            lines.add("dropped by policy: " + r.getReason() + " " + nullToDash(r.getDetail()) + " at "
                    + r.getSettledAt());
        }
        return lines;
    }

    private static List<String> publisherLines(Journey j) {
        List<String> lines = new ArrayList<>();
        for (DeliveryReceipt r : j.receipts) {
            switch (r.getOutcome()) {
                case "PUBLISHED" ->
                    lines.add("Pusher accepted it on " + String.join(", ", r.getChannels()) + " at "
                            + r.getSettledAt() + Journey.after(r.getCommittedAt(), r.getSettledAt()) + ", "
                            + r.getAttempts() + " attempt(s), HTTP " + nullToDash(r.getHttpStatus()));
                case "SKIPPED_DUPLICATE" ->
                    lines.add("skipped as a duplicate on " + String.join(", ", r.getChannels())
                            + " at " + r.getSettledAt() + " (already delivered there; record " + r.getSourceTopic()
                            + " "
                            + r.getSourcePartition() + "@" + r.getSourceOffset() + ")");
                case "DEAD_LETTERED" -> {
                    if ("publisher".equals(r.getStage())) {
                        lines.add("dead-lettered: " + r.getReason() + ", HTTP " + nullToDash(r.getHttpStatus()) + ", "
                                + r.getAttempts() + " attempt(s): " + nullToDash(r.getDetail()));
                    }
                }
                default -> {}
            }
        }
        if (j.receipts("DEAD_LETTERED").stream().noneMatch(r -> "publisher".equals(r.getStage()))) {
            for (Journey.DeadLetter d : j.deadLetters) {
                if ("publisher".equals(d.stage())) {
                    lines.add("dead-lettered: " + d.reason() + ", HTTP " + nullToDash(d.httpStatus()) + ": "
                            + nullToDash(d.pusherMessage() != null ? d.pusherMessage() : d.text()) + "  ("
                            + at(d.record()) + ")");
                }
            }
        }
        return lines;
    }

    /** One sentence a support engineer can paste into the ticket. */
    String answer(Journey j, boolean ledger) {
        Set<String> accepted = j.accepted();
        List<DeliveryReceipt> dropped = j.receipts("DROPPED");
        Journey.DeadLetter routerDead = j.deadLetters.stream()
                .filter(d -> !"publisher".equals(d.stage()))
                .findFirst()
                .orElse(null);
        String publisherDead = j.receipts("DEAD_LETTERED").stream()
                .filter(r -> "publisher".equals(r.getStage()))
                .map(r -> r.getReason() + " (" + nullToDash(r.getDetail()) + ")")
                .findFirst()
                .orElse(j.deadLetters.stream()
                        .filter(d -> "publisher".equals(d.stage()))
                        .map(d -> d.reason() + " (" + nullToDash(d.text()) + ")")
                        .findFirst()
                        .orElse(null));
        if (channel != null && !accepted.isEmpty() && accepted.contains(channel)) {
            return acceptedAnswer(j, Set.of(channel));
        }
        if (channel != null && !j.routedTo().isEmpty() && !j.routedTo().contains(channel)) {
            return "It was never meant for " + channel + ": the router sent it to " + String.join(", ", j.routedTo())
                    + ".";
        }
        if (channel == null && !accepted.isEmpty()) {
            return acceptedAnswer(j, accepted) + deadLettersBefore(j, accepted);
        }
        if (routerDead != null) {
            return "Not published: the " + nullToDash(routerDead.stage()) + " dead-lettered it as "
                    + routerDead.reason()
                    + " (" + nullToDash(routerDead.text()) + "). Fix the cause, then: switchboard dlq redrive"
                    + " --event-id " + j.eventId + ".";
        }
        if (!dropped.isEmpty()) {
            return "Not published, on purpose: " + dropped.get(0).getReason() + " ("
                    + nullToDash(dropped.get(0).getDetail())
                    + "); a later event of the same run carried newer progress.";
        }
        if (publisherDead != null) {
            return "Not delivered: the publisher dead-lettered it as " + publisherDead + ".";
        }
        List<DeliveryReceipt> skipped = j.receipts("SKIPPED_DUPLICATE");
        if (!skipped.isEmpty()) {
            return "Skipped as a duplicate: it had already been delivered to "
                    + String.join(", ", skipped.get(0).getChannels())
                    + " (an earlier copy's receipt may be older than the window).";
        }
        if (!j.publishes.isEmpty()) {
            return ledger
                    ? "Routed, but no outcome from the publisher in the window: still in flight (the publisher is"
                            + " behind, down, or holding it while Pusher fails: its health shows"
                            + " pusher.details.circuitBreaker), or its receipt was lost"
                            + " (switchboard_ledger_receipts_total{result!=\"written\"})."
                    : "Routed; no ledger in the window to say what the publisher did (SWITCHBOARD_LEDGER_ENABLED?).";
        }
        return "Relayed, but the router has not decided yet: it is behind or down (check its consumer lag).";
    }

    /**
     * What an accepted event's dead letters were: redriven when the dead letter came before the acceptance and was
     * about channels it reached, else still dead for the channels it did not reach.
     */
    private static String deadLettersBefore(Journey j, Set<String> accepted) {
        Instant lastAccepted = j.receipts("PUBLISHED").stream()
                .map(DeliveryReceipt::getSettledAt)
                .max(Instant::compareTo)
                .orElseThrow();
        StringBuilder notes = new StringBuilder();
        for (DeliveryReceipt dead : j.receipts("DEAD_LETTERED")) {
            List<String> missed = dead.getChannels().stream()
                    .filter(c -> !accepted.contains(c))
                    .toList();
            if (!missed.isEmpty()) {
                notes.append(" It is still dead-lettered for ")
                        .append(String.join(", ", missed))
                        .append(" (")
                        .append(dead.getReason())
                        .append(").");
            } else if (dead.getSettledAt().isBefore(lastAccepted)) {
                notes.append(" It was dead-lettered by the ")
                        .append(dead.getStage())
                        .append(" first (")
                        .append(dead.getReason())
                        .append(") and redriven.");
            }
        }
        return notes.toString();
    }

    private String acceptedAnswer(Journey j, Set<String> channels) {
        Instant when = j.receipts("PUBLISHED").stream()
                .filter(r -> r.getChannels().stream().anyMatch(channels::contains))
                .map(DeliveryReceipt::getSettledAt)
                .findFirst()
                .orElse(null);
        return "Pusher accepted it on " + String.join(", ", channels) + " at " + when + ". Pusher keeps nothing for"
                + " clients that were not connected then: a browser that was not subscribed to "
                + (channels.size() == 1 ? "that channel" : "those channels") + " at that moment did not get it.";
    }

    private ObjectNode toJson(Journey j, boolean ledger) {
        ObjectNode node = JSON.createObjectNode();
        node.put("event_id", j.eventId);
        node.put("type", j.type());
        node.put("aggregate", j.aggregate());
        node.put(
                "committed_at", j.committedAt() == null ? null : j.committedAt().toString());
        ArrayNode relayed = node.putArray("relayed");
        j.eventRecords.forEach(r -> relayed.add(at(r)));
        ArrayNode router = node.putArray("router");
        routerLines(j).forEach(router::add);
        ArrayNode publisher = node.putArray("publisher");
        publisherLines(j).forEach(publisher::add);
        ArrayNode accepted = node.putArray("accepted_on");
        j.accepted().forEach(accepted::add);
        ArrayNode outcomes = node.putArray("outcomes");
        j.receipts.forEach(r ->
                outcomes.add(r.getStage() + ":" + r.getOutcome() + (r.getReason() == null ? "" : ":" + r.getReason())));
        j.deadLetters.forEach(d -> outcomes.add(nullToDash(d.stage()) + ":DEAD_LETTER_RECORD:" + d.reason()));
        node.put("answer", answer(j, ledger));
        return node;
    }

    private static String nullToDash(Object value) {
        return value == null ? "-" : value.toString();
    }
}
