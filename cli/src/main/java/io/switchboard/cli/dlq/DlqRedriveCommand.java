package io.switchboard.cli.dlq;

import io.switchboard.cli.kafka.CliFailure;
import io.switchboard.cli.kafka.Durations;
import io.switchboard.cli.kafka.Rate;
import io.switchboard.cli.kafka.TimeWindow;
import io.switchboard.cli.kafka.Topics;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code switchboard dlq redrive}: sends a selection of router and publisher dead letters back to their original
 * topic, with their original key and bytes, at a bounded rate; a dry run unless {@code --yes}.
 */
@Command(
        name = "redrive",
        mixinStandardHelpOptions = true,
        description = {
            "Sends the selected router and publisher dead letters back to their original topic"
                    + " (kafka_dlt-original-topic) with their original key and value bytes, at a bounded rate, each"
                    + " with switchboard-redrive (how many times it was redriven), switchboard-redrive-at and"
                    + " switchboard-redrive-from, so a second failure is recognisable. The dead-letter headers"
                    + " (switchboard-reason, -stage, kafka_dlt-*) are not carried over; other headers are.",
            "Without --yes it is a dry run: it prints what would be sent and sends nothing.",
            "Relay dead letters are outbox rows, not Kafka records: they are listed as skipped and counted; fix the"
                    + " row and insert it into the outbox again.",
            "The dead letters stay in the dead-letter topic: narrow a second run with --since/--from or --event-id.",
            "An empty selection sends nothing, prints \"no dead letters in ...: nothing to redrive\" on standard error"
                    + " and exits 3."
        })
final class DlqRedriveCommand extends DlqSubcommand {

    @Mixin
    Selection selection;

    @Option(
            names = "--rate",
            paramLabel = "N/s",
            converter = Rate.Converter.class,
            description = "at most N records a second (default: 50/s)")
    double rate = 50;

    @Option(names = "--yes", description = "send; without it, a dry run that sends nothing")
    boolean yes;

    @Option(names = "--json", description = "JSON lines: one per dead letter, then a summary")
    boolean json;

    private static final Set<String> NOT_CARRIED = Set.of(
            "switchboard-reason",
            "switchboard-reason-text",
            "switchboard-stage",
            "switchboard-event-id",
            "switchboard-outbox-id",
            "switchboard-outbox-table",
            "switchboard-http-status",
            "switchboard-pusher-message",
            "switchboard-attempts",
            DeadLetter.REDRIVE,
            DeadLetter.REDRIVE_AT,
            DeadLetter.REDRIVE_FROM);

    @Override
    int run(PrintWriter out) {
        TimeWindow.Window window = selection.window(clock);
        DeadLetterScan.Found found =
                scan().read(selection.topicNames(dlqTopics), window.from(), window.to(), selection.filter());
        List<DeadLetter> letters = found.letters();
        if (letters.isEmpty()) {
            throw selection.nothing(dlqTopics, window, found.inWindow(), ": nothing to redrive");
        }
        List<DeadLetter> redrivable = new ArrayList<>();
        int relay = 0;
        int noOrigin = 0;
        for (DeadLetter letter : letters) {
            if (letter.isRelay()) {
                relay++;
                report(out, letter, "skipped", null, "relay dead letters are outbox rows, not Kafka records");
            } else if (letter.originalTopic() == null || letter.originalTopic().isBlank()) {
                noOrigin++;
                report(out, letter, "skipped", null, "no kafka_dlt-original-topic header");
            } else {
                redrivable.add(letter);
            }
        }
        if (!yes) {
            redrivable.forEach(letter -> report(out, letter, "would_send", letter.originalTopic(), null));
            summary(out, letters, redrivable.size(), 0, relay, noOrigin, window);
            return 0;
        }
        if (!redrivable.isEmpty()) {
            Set<String> targets = new LinkedHashSet<>();
            redrivable.forEach(letter -> targets.add(letter.originalTopic()));
            scan().partitions(List.copyOf(targets));
        }
        int sent = 0;
        Rate pace = new Rate(rate);
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(connection.producer(), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (DeadLetter letter : redrivable) {
                pace.acquire();
                RecordMetadata metadata = send(producer, letter, sent, redrivable.size());
                sent++;
                report(
                        out,
                        letter,
                        "sent",
                        metadata.topic() + ":" + metadata.partition() + ":" + metadata.offset(),
                        null);
            }
        } catch (KafkaException e) {
            throw new CliFailure("sent " + sent + " of " + redrivable.size() + "; "
                    + new Topics(connection).failure(e).getMessage());
        }
        summary(out, letters, redrivable.size(), sent, relay, noOrigin, window);
        return 0;
    }

    private RecordMetadata send(KafkaProducer<byte[], byte[]> producer, DeadLetter letter, int sent, int total) {
        RecordHeaders headers = new RecordHeaders();
        for (Header header : letter.headers()) {
            if (!NOT_CARRIED.contains(header.key()) && !header.key().startsWith("kafka_dlt-")) {
                headers.add(header.key(), header.value());
            }
        }
        headers.add(DeadLetter.REDRIVE, bytes(Integer.toString(letter.redrives() + 1)));
        headers.add(DeadLetter.REDRIVE_AT, bytes(clock.instant().toString()));
        headers.add(DeadLetter.REDRIVE_FROM, bytes(letter.coordinates()));
        ProducerRecord<byte[], byte[]> record =
                new ProducerRecord<>(letter.originalTopic(), null, letter.key(), letter.value(), headers);
        Duration timeout = connection.timeout.multipliedBy(2);
        try {
            return producer.send(record).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliFailure("interrupted after sending " + sent + " of " + total);
        } catch (TimeoutException e) {
            throw new CliFailure("sent " + sent + " of " + total + "; " + letter.coordinates() + " to "
                    + letter.originalTopic() + " was not acknowledged within " + Durations.text(timeout));
        } catch (ExecutionException e) {
            throw new CliFailure("sent " + sent + " of " + total + "; sending " + letter.coordinates() + " to "
                    + letter.originalTopic() + " failed: " + DeadLetterScan.oneLine(e.getCause()));
        }
    }

    private void report(PrintWriter out, DeadLetter letter, String action, String to, String why) {
        if (json) {
            ObjectNode node = DlqListCommand.summary(letter);
            node.put("action", action);
            node.put("to", to);
            node.put("why", why);
            out.println(ValueDecoder.JSON.writeValueAsString(node));
            return;
        }
        String what = letter.coordinates() + " (" + letter.stage() + " " + letter.reason() + ", event "
                + (letter.eventId() == null ? "-" : letter.eventId()) + ")";
        switch (action) {
            case "would_send" ->
                out.println("would send " + what + " to " + to + ", key "
                        + DlqShowCommand.key(letter.key()) + ", " + (letter.value() == null ? 0 : letter.value().length)
                        + " bytes");
            case "sent" -> out.println("sent " + what + " to " + to);
            default -> out.println("skipped " + what + ": " + why);
        }
    }

    private void summary(
            PrintWriter out,
            List<DeadLetter> letters,
            int redrivable,
            int sent,
            int relay,
            int noOrigin,
            TimeWindow.Window window) {
        if (json) {
            ObjectNode node = ValueDecoder.JSON.createObjectNode();
            node.put("dry_run", !yes);
            node.put("selected", letters.size());
            node.put(yes ? "sent" : "would_send", yes ? sent : redrivable);
            node.put("skipped_relay", relay);
            node.put("skipped_no_original_topic", noOrigin);
            out.println(ValueDecoder.JSON.writeValueAsString(node));
            return;
        }
        StringBuilder line = new StringBuilder();
        line.append(yes ? "redrove " + sent : "dry run: " + redrivable + " would be redriven")
                .append(" of ")
                .append(letters.size())
                .append(" selected dead letter")
                .append(letters.size() == 1 ? "" : "s");
        if (relay > 0) {
            line.append("; ")
                    .append(relay)
                    .append(" relay dead letter")
                    .append(relay == 1 ? "" : "s")
                    .append(" skipped (outbox rows cannot be redriven to Kafka as they are: fix the row and insert it"
                            + " into the outbox again)");
        }
        if (noOrigin > 0) {
            line.append("; ").append(noOrigin).append(" skipped without kafka_dlt-original-topic");
        }
        out.println(line.append(yes ? "" : "; nothing was sent, add --yes to send"));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
