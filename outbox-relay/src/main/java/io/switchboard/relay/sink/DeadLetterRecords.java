package io.switchboard.relay.sink;

import io.switchboard.kafka.DeadLetterHeaders;
import io.switchboard.relay.outbox.OutboxRow;
import io.switchboard.relay.outbox.OutboxTable;
import io.switchboard.relay.relay.DeadLetter;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The relay's dead letters: the row as JSON, with the header set of {@link DeadLetterHeaders} (stage {@code relay},
 * the reason and its text, the event id, the outbox id and table). A dead letter always fits:
 *
 * <ul>
 *   <li>the whole row, when the record is within {@code max-record-bytes};
 *   <li>otherwise the row's metadata with the first {@value #PAYLOAD_PREFIX_BYTES} bytes of its payload, the other
 *       texts cut to {@value #FIELD_PREFIX_CHARS} characters, {@code "truncated": true} and {@code payloadBytes};
 *   <li>metadata only (no payload, channels or headers; texts cut to {@value #METADATA_CHARS} characters), when
 *       Kafka refused the dead letter itself.
 * </ul>
 */
final class DeadLetterRecords {

    static final String STAGE = "relay";
    static final int PAYLOAD_PREFIX_BYTES = 16 * 1024;
    static final int FIELD_PREFIX_CHARS = 1024;
    static final int METADATA_CHARS = 255;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String topic;
    private final OutboxTable table;
    private final int maxRecordBytes;

    DeadLetterRecords(String topic, OutboxTable table, int maxRecordBytes) {
        this.topic = topic;
        this.table = table;
        this.maxRecordBytes = maxRecordBytes;
    }

    ProducerRecord<String, byte[]> build(DeadLetter letter) {
        OutboxRow row = letter.row();
        String key = row.aggregateId() == null || row.aggregateId().length() <= METADATA_CHARS
                ? row.aggregateId()
                : row.aggregateId().substring(0, METADATA_CHARS);
        int payloadBytes = utf8Length(row.payload());
        if (letter.metadataOnly()) {
            return record(key, metadata(row, payloadBytes), letter.text(), letter);
        }
        ProducerRecord<String, byte[]> whole = record(key, JSON.valueToTree(row), letter.text(), letter);
        if (RecordSize.of(whole) <= maxRecordBytes) {
            return whole;
        }
        ObjectNode bounded = JSON.valueToTree(row);
        bounded.put("payload", prefix(row.payload(), PAYLOAD_PREFIX_BYTES));
        for (String field : new String[] {"eventId", "type", "source", "aggregateType", "aggregateId", "socketId"}) {
            if (bounded.get(field) != null && bounded.get(field).isString()) {
                bounded.put(field, cut(bounded.get(field).asString(), FIELD_PREFIX_CHARS));
            }
        }
        for (String field : new String[] {"channels", "headers"}) {
            if (bounded.get(field) != null && bounded.get(field).isString()) {
                bounded.put(field, prefix(bounded.get(field).asString(), FIELD_PREFIX_CHARS));
            }
        }
        bounded.put("truncated", true);
        bounded.put("payloadBytes", payloadBytes);
        String text = "the row is " + RecordSize.of(whole) + " bytes as a dead letter, over max-record-bytes ("
                + maxRecordBytes + "): this one keeps the first " + PAYLOAD_PREFIX_BYTES + " bytes of its "
                + payloadBytes + "-byte payload; " + letter.text();
        return record(key, bounded, text, letter);
    }

    private static ObjectNode metadata(OutboxRow row, int payloadBytes) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", row.id());
        node.put("eventId", cut(row.eventId(), METADATA_CHARS));
        node.put("type", cut(row.type(), METADATA_CHARS));
        node.put("source", cut(row.source(), METADATA_CHARS));
        node.put("aggregateType", cut(row.aggregateType(), METADATA_CHARS));
        node.put("aggregateId", cut(row.aggregateId(), METADATA_CHARS));
        node.put("socketId", cut(row.socketId(), METADATA_CHARS));
        node.put("createdAt", row.createdAt() == null ? null : row.createdAt().toString());
        node.put("truncated", true);
        node.put("metadataOnly", true);
        node.put("payloadBytes", payloadBytes);
        return node;
    }

    private ProducerRecord<String, byte[]> record(String key, ObjectNode value, String text, DeadLetter letter) {
        RecordHeaders headers = new RecordHeaders();
        DeadLetterHeaders.add(
                headers, STAGE, letter.reason().name(), text, cut(letter.row().eventId(), METADATA_CHARS));
        DeadLetterHeaders.put(
                headers, DeadLetterHeaders.OUTBOX_ID, Long.toString(letter.row().id()));
        DeadLetterHeaders.put(headers, DeadLetterHeaders.OUTBOX_TABLE, table.qualifiedName());
        return new ProducerRecord<>(
                topic, null, key, JSON.writeValueAsString(value).getBytes(StandardCharsets.UTF_8), headers);
    }

    static String cut(String text, int chars) {
        if (text == null || text.length() <= chars) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(chars - 1)) ? chars - 1 : chars;
        return text.substring(0, end);
    }

    /** The longest prefix of at most {@code bytes} UTF-8 bytes, cut at a character boundary. */
    static String prefix(String text, int bytes) {
        if (text == null || text.length() * 3L <= bytes) {
            return text;
        }
        int used = 0;
        int i = 0;
        while (i < text.length()) {
            int cp = text.codePointAt(i);
            int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (used + n > bytes) {
                break;
            }
            used += n;
            i += Character.charCount(cp);
        }
        return text.substring(0, i);
    }

    static int utf8Length(String text) {
        return text == null ? 0 : text.getBytes(StandardCharsets.UTF_8).length;
    }
}
