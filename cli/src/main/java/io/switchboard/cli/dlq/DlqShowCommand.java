package io.switchboard.cli.dlq;

import io.switchboard.cli.kafka.CliFailure;
import java.io.PrintWriter;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.node.ObjectNode;

/** {@code switchboard dlq show topic:partition:offset}: one dead letter, its headers and its value decoded. */
@Command(
        name = "show",
        mixinStandardHelpOptions = true,
        description = {
            "Shows one dead letter: its headers (spring-kafka's binary partition, offset and timestamp as numbers)"
                    + " and its value decoded: a RealtimeEvent or ChannelPublish (Avro, with the schema id), or the"
                    + " relay's outbox row (JSON). A value that does not decode is shown as base64 with the reason."
        })
final class DlqShowCommand extends DlqSubcommand {

    private static final Pattern COORDINATES = Pattern.compile("(.+):(\\d+):(\\d+)");

    @Parameters(
            paramLabel = "TOPIC:PARTITION:OFFSET",
            description = "as `dlq list` prints it; TOPIC may be `events` or `publish` for the default topics")
    String coordinates;

    @Option(names = "--json", description = "one JSON object")
    boolean json;

    @Override
    int run(PrintWriter out) {
        Matcher m = COORDINATES.matcher(coordinates.trim());
        if (!m.matches()) {
            throw new CliFailure(
                    "'" + coordinates + "' is not TOPIC:PARTITION:OFFSET (e.g. realtime.events.dlq:0:42)",
                    CliFailure.USAGE);
        }
        String topic = switch (m.group(1)) {
            case "events" -> dlqTopics.eventsDlq;
            case "publish" -> dlqTopics.publishDlq;
            default -> m.group(1);
        };
        int partition;
        long offset;
        try {
            partition = Integer.parseInt(m.group(2));
            offset = Long.parseLong(m.group(3));
        } catch (NumberFormatException e) {
            throw new CliFailure("'" + coordinates + "': partition or offset out of range", CliFailure.USAGE);
        }
        DeadLetter letter = scan().one(topic, partition, offset);
        ValueDecoder.Decoded decoded = new ValueDecoder(connection.registry())
                .decode(letter, topic.equals(dlqTopics.publishDlq) && !topic.equals(dlqTopics.eventsDlq));
        if (json) {
            ObjectNode node = DlqListCommand.summary(letter);
            node.put("key", key(letter.key()));
            ObjectNode headers = node.putObject("headers");
            letter.readableHeaders().forEach(headers::put);
            node.put("value_format", decoded.format());
            node.put("value_type", decoded.type());
            node.put("schema_id", decoded.schemaId());
            if (decoded.undecodable() != null) {
                node.put("undecodable", decoded.undecodable());
                node.set("value_base64", decoded.value());
            } else {
                node.set("value", decoded.value());
            }
            out.println(ValueDecoder.JSON.writeValueAsString(node));
            return 0;
        }
        out.println("dead letter  " + letter.coordinates());
        out.println("written at   " + letter.time());
        out.println("stage        " + orDash(letter.stage()));
        out.println("reason       " + reason(letter.reason(), letter.reasonText()));
        out.println("event id     " + orDash(letter.eventId()));
        out.println("from         " + letter.origin());
        out.println("key          " + orDash(key(letter.key())));
        out.println("headers");
        for (Map.Entry<String, String> header : letter.readableHeaders().entrySet()) {
            out.println("  " + header.getKey() + ": " + header.getValue());
        }
        int size = letter.value() == null ? 0 : letter.value().length;
        if (decoded.undecodable() != null) {
            out.println("value        " + size + " bytes, not decodable: " + decoded.undecodable());
            if (decoded.value() != null) {
                out.println("base64       " + decoded.value().asString());
            }
        } else {
            out.println("value        " + decoded.type() + " (" + decoded.format()
                    + (decoded.schemaId() == null ? "" : ", schema id " + decoded.schemaId()) + ", " + size
                    + " bytes)");
            out.println(ValueDecoder.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(decoded.value()));
        }
        return 0;
    }

    static String key(byte[] key) {
        if (key == null) {
            return null;
        }
        String text = DeadLetter.utf8(key);
        return text != null ? text : "base64:" + Base64.getEncoder().encodeToString(key);
    }

    /** The code and its text, once: the stages' texts often begin with the code already. */
    static String reason(String code, String text) {
        if (text == null || text.isBlank()) {
            return orDash(code);
        }
        return code == null || text.startsWith(code) ? text : code + ": " + text;
    }

    private static String orDash(String value) {
        return value == null ? "-" : value;
    }
}
