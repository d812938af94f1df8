package io.switchboard.cli.replay;

import io.switchboard.cli.kafka.CliFailure;
import io.switchboard.cli.kafka.Durations;
import io.switchboard.cli.kafka.Rate;
import io.switchboard.cli.kafka.RecordDecoder;
import io.switchboard.cli.kafka.TimeWindow;
import io.switchboard.cli.kafka.TopicReader;
import io.switchboard.cli.kafka.TopicRecord;
import io.switchboard.cli.kafka.Topics;
import io.switchboard.kafka.DeadLetterHeaders;
import io.switchboard.kafka.ReplayHeaders;
import io.switchboard.router.guard.ProgressGuard;
import io.switchboard.schemas.ChannelPublish;
import io.switchboard.schemas.RealtimeEvent;
import io.switchboard.schemas.wire.AvroSerializer;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.kafka.support.KafkaHeaders;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code switchboard replay}: a selection of a topic's records, printed with the routing decision they would get
 * today (a dry run), re-injected into a topic, or routed to shadow channels. See docs/runbook-replay.md.
 */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description = {
            "Selects records of a topic (realtime.events by default) by time or offset, partition, type, key, event id"
                    + " or payload field, and prints each decoded with the routing decision it would get today"
                    + " (the router's own code and settings). A dry run: nothing is published.",
            "--to-topic T re-injects the selection into T (same key, value bytes and headers, plus"
                    + " switchboard-replay-id, -replay-at and -replay-from). The publisher skips an (event_id, channel)"
                    + " it delivered in the last 24 h: --redeliver gives each record a new event id (and"
                    + " switchboard-replay-of: the original id) so it is delivered again.",
            "--shadow-prefix P routes each event with the router's code and writes ChannelPublish records to"
                    + " realtime.publish for the shadow channels only (with debug-: private-audit-A ->"
                    + " private-debug-audit-A).",
            "Anything that publishes asks first (--yes skips the question; without a terminal, --yes is required)"
                    + " and is paced by --rate.",
            "Exit codes: 0 done, 1 Kafka, a topic or a record failed, 2 usage or refused, 3 nothing selected."
        })
public final class ReplayCommand extends TopicCommand {

    static final String REPLAY_ID = ReplayHeaders.ID;
    static final String REPLAY_AT = ReplayHeaders.AT;
    static final String REPLAY_FROM = ReplayHeaders.FROM;
    static final String REPLAY_OF = ReplayHeaders.OF;
    static final String REPLAY_SHADOW = ReplayHeaders.SHADOW;

    /** Headers of a dead letter or of an earlier replay: not carried over to the replayed record. */
    private static final Set<String> NOT_CARRIED = Set.of(
            DeadLetterHeaders.REASON,
            DeadLetterHeaders.REASON_TEXT,
            DeadLetterHeaders.STAGE,
            DeadLetterHeaders.EVENT_ID,
            DeadLetterHeaders.OUTBOX_ID,
            DeadLetterHeaders.OUTBOX_TABLE,
            "switchboard-http-status",
            "switchboard-pusher-message",
            "switchboard-attempts",
            REPLAY_ID,
            REPLAY_AT,
            REPLAY_FROM,
            REPLAY_OF,
            REPLAY_SHADOW);

    @Mixin
    TimeWindow window = new TimeWindow();

    @Option(names = "--from-offset", paramLabel = "N", description = "from offset N of each selected partition")
    Long fromOffset;

    @Option(names = "--to-offset", paramLabel = "N", description = "up to offset N (included) of each partition")
    Long toOffset;

    @Option(
            names = "--to-topic",
            paramLabel = "TOPIC",
            description = "re-inject the selection into TOPIC (usually the one it came from)")
    String toTopic;

    @Option(
            names = "--redeliver",
            description = "give each re-injected record a new event id, so the publisher's dedupe lets it through")
    boolean redeliver;

    @Option(
            names = "--shadow-prefix",
            paramLabel = "PREFIX",
            description = "publish to shadow channels only: PREFIX after private-/presence- (e.g. debug-)")
    String shadowPrefix;

    @Option(
            names = "--publish-topic",
            paramLabel = "TOPIC",
            description = "where --shadow-prefix writes ChannelPublish records (default: realtime.publish)")
    String publishTopic = "realtime.publish";

    @Option(
            names = "--rate",
            paramLabel = "N/s",
            converter = Rate.Converter.class,
            description = "at most N records a second when publishing (default: 50/s)")
    double rate = 50;

    @Option(names = "--yes", description = "publish without asking")
    boolean yes;

    Prompt prompt = Prompt.console();

    @Override
    int run(PrintWriter out, PrintWriter err) {
        TopicReader.Range range = range();
        ShadowChannels shadow = shadowPrefix == null ? null : new ShadowChannels(shadowPrefix);
        if (toTopic != null && shadow != null) {
            throw new CliFailure(
                    "--to-topic and --shadow-prefix cannot be combined: re-inject, or route to shadow channels",
                    CliFailure.USAGE);
        }
        if (redeliver && toTopic == null && shadow == null) {
            throw new CliFailure(
                    "--redeliver needs --to-topic or --shadow-prefix: a dry run delivers nothing", CliFailure.USAGE);
        }
        TopicReader reader = reader();
        List<TopicPartition> tps = reader.partitions(topic, partitions);
        String target = toTopic != null ? toTopic : shadow != null ? publishTopic : null;
        if (shadow != null) {
            TopicValues.checkShadow(publishTopic);
        }
        if (target != null) {
            new Topics(connection)
                    .partitions(
                            List.of(target),
                            (toTopic != null ? "--to-topic" : "--publish-topic") + " must name an existing topic");
        }

        // decoded and filtered as it is read: only the selection is held, however long the window
        Predicate<TopicRecord> matches = filter.compile();
        RecordDecoder decoder = decoder();
        Map<ConsumerRecord<byte[], byte[]>, TopicRecord> decoded = new IdentityHashMap<>();
        long[] read = new long[1];
        int[] relayRows = new int[1];
        List<ConsumerRecord<byte[], byte[]>> kept = reader.read(
                tps,
                range,
                line -> {
                    err.println(line);
                    err.flush();
                },
                record -> {
                    read[0]++;
                    TopicRecord value = decoder.decode(record);
                    if (value == null) {
                        relayRows[0]++;
                        return false;
                    }
                    if (!matches.test(value)) {
                        return false;
                    }
                    decoded.put(record, value);
                    return true;
                });
        String where = topic + " " + describe(tps, range);
        if (read[0] == 0) {
            throw new CliFailure("no records in " + where, NOTHING_SELECTED);
        }
        List<TopicRecord> selected = kept.stream().map(decoded::get).toList();
        if (selected.isEmpty()) {
            throw new CliFailure(
                    filter.isEmpty()
                            ? "none of the " + read[0] + " records in " + where + " is an event: relay dead letters"
                                    + " are outbox rows (see switchboard dlq)"
                            : "none of the " + read[0] + " records in " + where + " matches " + filter.describe(),
                    NOTHING_SELECTED);
        }
        if (toTopic != null) {
            TopicValues.checkReplay(selected, topic, toTopic);
        }
        RecordView view = new RecordView(routing.router(ProgressGuard.inMemory(1_000)));
        List<RecordView.Decision> decisions =
                selected.stream().map(view::decide).toList();

        if (target == null) {
            for (int i = 0; i < selected.size(); i++) {
                RecordView.print(out, json, selected.get(i), decisions.get(i));
            }
            summary(
                    out,
                    err,
                    "dry run: " + count(selected.size()) + " selected in " + where
                            + (relayRows[0] > 0 ? " (" + relayRows[0] + " relay dead letters skipped)" : "")
                            + "; nothing was published (--to-topic TOPIC re-injects, --shadow-prefix PREFIX routes to shadow"
                            + " channels)");
            return 0;
        }

        int refused = (int) decisions.stream().filter(d -> d.refused() != null).count();
        int dropped = (int) decisions.stream().filter(d -> d.dropped() != null).count();
        // a shadow replay publishes what the router would publish: not what it refuses, nor what its guard drops
        int toSend = shadow != null ? selected.size() - refused - dropped : selected.size();
        if (toSend == 0) {
            throw new CliFailure(
                    "all " + count(selected.size()) + " selected are refused or dropped by routing: no shadow channel"
                            + " to publish to",
                    NOTHING_SELECTED);
        }
        String question = shadow != null
                ? "Replay " + count(toSend) + " to shadow channels (prefix " + shadow.prefix() + ") through " + target
                        + "? [y/N] "
                : "Replay " + count(toSend) + " to " + target + "? [y/N] ";
        if (!yes) {
            String answer = prompt.ask(question);
            if (answer == null) {
                throw new CliFailure(
                        "refusing to publish " + count(toSend) + " without --yes: standard input is not a terminal",
                        CliFailure.USAGE);
            }
            if (!Prompt.yes(answer)) {
                summary(out, err, "nothing was published");
                return 0;
            }
        }

        String replayId = UUID.randomUUID().toString();
        String replayAt = clock.instant().toString();
        AvroSerializer<SpecificRecord> serializer = new AvroSerializer<>(connection.registry());
        Rate pace = new Rate(rate);
        int sent = 0;
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(connection.producer(), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < selected.size(); i++) {
                TopicRecord record = selected.get(i);
                RecordView.Decision decision = decisions.get(i);
                if (shadow != null && decision.publish() == null) {
                    report(out, record, "skipped", null, null, decision.notRouted());
                    continue;
                }
                String newId = redeliver ? UUID.randomUUID().toString() : null;
                Map<String, String> markers = new HashMap<>();
                markers.put(REPLAY_ID, replayId);
                markers.put(REPLAY_AT, replayAt);
                markers.put(REPLAY_FROM, record.coordinates());
                if (shadow != null) {
                    markers.put(REPLAY_SHADOW, shadow.prefix());
                }
                if (newId != null) {
                    markers.put(REPLAY_OF, record.eventId());
                }
                byte[] value;
                if (shadow != null) {
                    value = serializer.serialize(target, shadowPublish(decision.publish(), shadow, newId, markers));
                } else if (newId != null) {
                    value = serializer.serialize(target, withNewId(record.value(), newId, markers));
                } else {
                    value = record.raw().value();
                }
                RecordHeaders headers = new RecordHeaders();
                for (Header header : record.raw().headers()) {
                    if (!NOT_CARRIED.contains(header.key()) && !header.key().startsWith(KafkaHeaders.PREFIX + "dlt-")) {
                        headers.add(header.key(), header.value());
                    }
                }
                markers.forEach((k, v) -> headers.add(k, v.getBytes(StandardCharsets.UTF_8)));
                pace.acquire();
                RecordMetadata metadata = send(
                        producer,
                        new ProducerRecord<>(target, null, record.raw().key(), value, headers),
                        record,
                        sent,
                        toSend);
                sent++;
                report(
                        out,
                        record,
                        "sent",
                        metadata.topic() + ":" + metadata.partition() + ":" + metadata.offset(),
                        newId,
                        shadow == null ? null : String.join(" ", shadow.map(decision.channels())));
            }
        } catch (KafkaException e) {
            throw new CliFailure("sent " + sent + " of " + toSend + "; "
                    + new Topics(connection).failure(e).getMessage());
        }
        String done = shadow != null
                ? "replayed " + count(sent) + " from " + where + " to shadow channels (prefix " + shadow.prefix()
                        + ") through " + target + (refused > 0 ? "; " + refused + " refused by routing skipped" : "")
                        + (dropped > 0 ? "; " + dropped + " dropped by the progress guard skipped" : "")
                : "replayed " + count(sent) + " from " + where + " to " + target;
        summary(out, err, done + " (replay id " + replayId + ")");
        if (!redeliver) {
            summary(
                    out,
                    err,
                    "note: the publisher skips an (event_id, channel) it delivered in the last 24 h (REDIS_URL; per"
                            + " instance without it): events already delivered are skipped as duplicates. --redeliver"
                            + " gives them new event ids to deliver them again");
        }
        return 0;
    }

    TopicReader.Range range() {
        boolean byOffset = fromOffset != null || toOffset != null;
        if (window.given() && byOffset) {
            throw new CliFailure(
                    "choose times (--since, --from, --to) or offsets (--from-offset, --to-offset), not both",
                    CliFailure.USAGE);
        }
        TimeWindow.Window times = window.resolve(clock, null);
        if (fromOffset != null && toOffset != null && fromOffset > toOffset) {
            throw new CliFailure("--from-offset " + fromOffset + " is after --to-offset " + toOffset, CliFailure.USAGE);
        }
        if ((fromOffset != null && fromOffset < 0) || (toOffset != null && toOffset < 0)) {
            throw new CliFailure("offsets are 0 or more", CliFailure.USAGE);
        }
        return new TopicReader.Range(times.from(), times.to(), fromOffset, toOffset);
    }

    private String describe(List<TopicPartition> tps, TopicReader.Range range) {
        String text = partitions.isEmpty()
                ? ""
                : "partition" + (tps.size() == 1 ? " " : "s ")
                        + String.join(
                                ",",
                                tps.stream()
                                        .map(tp -> Integer.toString(tp.partition()))
                                        .toList()) + " ";
        if (range.fromOffset() != null || range.toOffset() != null) {
            return text + "offsets " + (range.fromOffset() == null ? "first" : range.fromOffset()) + " to "
                    + (range.toOffset() == null ? "last" : range.toOffset());
        }
        if (range.from() == null && range.to() == null) {
            return text + "at any time";
        }
        if (range.to() == null) {
            return text + "since " + range.from();
        }
        return text + (range.from() == null ? "up to " : "between " + range.from() + " and ") + range.to();
    }

    private static ChannelPublish shadowPublish(
            ChannelPublish routed, ShadowChannels shadow, String newId, Map<String, String> markers) {
        Map<String, String> headers = new HashMap<>(routed.getHeaders() == null ? Map.of() : routed.getHeaders());
        headers.putAll(markers);
        return ChannelPublish.newBuilder(routed)
                .setEventId(newId != null ? newId : routed.getEventId())
                .setChannels(shadow.map(routed.getChannels()))
                .setHeaders(headers)
                .build();
    }

    private static SpecificRecord withNewId(SpecificRecord value, String newId, Map<String, String> markers) {
        if (value instanceof RealtimeEvent event) {
            Map<String, String> headers = new HashMap<>(event.getHeaders() == null ? Map.of() : event.getHeaders());
            headers.putAll(markers);
            return RealtimeEvent.newBuilder(event)
                    .setEventId(newId)
                    .setHeaders(headers)
                    .build();
        }
        ChannelPublish publish = (ChannelPublish) value;
        Map<String, String> headers = new HashMap<>(publish.getHeaders() == null ? Map.of() : publish.getHeaders());
        headers.putAll(markers);
        return ChannelPublish.newBuilder(publish)
                .setEventId(newId)
                .setHeaders(headers)
                .build();
    }

    private RecordMetadata send(
            KafkaProducer<byte[], byte[]> producer,
            ProducerRecord<byte[], byte[]> record,
            TopicRecord from,
            int sent,
            int total) {
        Duration timeout = connection.timeout.multipliedBy(2);
        try {
            return producer.send(record).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliFailure("interrupted after sending " + sent + " of " + total);
        } catch (TimeoutException e) {
            throw new CliFailure("sent " + sent + " of " + total + "; " + from.coordinates() + " to " + record.topic()
                    + " was not acknowledged within " + Durations.text(timeout));
        } catch (ExecutionException e) {
            throw new CliFailure("sent " + sent + " of " + total + "; sending " + from.coordinates() + " to "
                    + record.topic() + " failed: " + Topics.oneLine(e.getCause()));
        }
    }

    private void report(PrintWriter out, TopicRecord record, String action, String to, String newId, String detail) {
        if (json) {
            ObjectNode node = RecordView.JSON.createObjectNode();
            node.put("action", action);
            node.put("record", record.coordinates());
            node.put("event_id", record.eventId());
            node.put("type", record.type());
            node.put("to", to);
            node.put("new_event_id", newId);
            node.put("detail", detail);
            out.println(RecordView.JSON.writeValueAsString(node));
            return;
        }
        StringBuilder line = new StringBuilder(action)
                .append(' ')
                .append(record.coordinates())
                .append(' ')
                .append(record.type())
                .append(' ')
                .append(record.eventId());
        if (newId != null) {
            line.append(" as ").append(newId);
        }
        if (to != null) {
            line.append(" to ").append(to);
        }
        if (detail != null) {
            line.append(action.equals("skipped") ? ": " : " -> ").append(detail);
        }
        out.println(line);
    }

    /** For people on standard output; with --json on standard error, so that standard output stays JSON lines. */
    private void summary(PrintWriter out, PrintWriter err, String text) {
        (json ? err : out).println(text);
    }

    private static String count(int n) {
        return n + (n == 1 ? " event" : " events");
    }
}
