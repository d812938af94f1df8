package io.switchboard.cli.dlq;

import io.switchboard.kafka.DeadLetterHeaders;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.springframework.kafka.support.KafkaHeaders;

/**
 * One record of a dead-letter topic, with what docs/dead-letters.md says its headers mean. The value is kept as the
 * bytes it was written with: {@link ValueDecoder} reads it, redrive sends it back untouched.
 */
record DeadLetter(String topic, int partition, long offset, Instant time, byte[] key, byte[] value, Headers headers) {

    /** Written on every redriven record: how many times it was redriven (1, 2, ...). */
    static final String REDRIVE = "switchboard-redrive";
    /** When it was redriven (ISO-8601). */
    static final String REDRIVE_AT = "switchboard-redrive-at";
    /** The dead letter it came from, {@code topic:partition:offset}. */
    static final String REDRIVE_FROM = "switchboard-redrive-from";

    static DeadLetter of(ConsumerRecord<byte[], byte[]> record) {
        return new DeadLetter(
                record.topic(),
                record.partition(),
                record.offset(),
                Instant.ofEpochMilli(record.timestamp()),
                record.key(),
                record.value(),
                record.headers());
    }

    String coordinates() {
        return topic + ":" + partition + ":" + offset;
    }

    String stage() {
        return text(DeadLetterHeaders.STAGE);
    }

    String reason() {
        return text(DeadLetterHeaders.REASON);
    }

    String reasonText() {
        return text(DeadLetterHeaders.REASON_TEXT);
    }

    String eventId() {
        return text(DeadLetterHeaders.EVENT_ID);
    }

    boolean isRelay() {
        return "relay".equals(stage());
    }

    String originalTopic() {
        return text(KafkaHeaders.DLT_ORIGINAL_TOPIC);
    }

    Long originalPartition() {
        return number(KafkaHeaders.DLT_ORIGINAL_PARTITION);
    }

    Long originalOffset() {
        return number(KafkaHeaders.DLT_ORIGINAL_OFFSET);
    }

    /** Where it came from: {@code topic:partition:offset} for a Kafka record, {@code outbox table#id} for a row. */
    String origin() {
        if (originalTopic() != null) {
            return originalTopic() + ":" + orDash(originalPartition()) + ":" + orDash(originalOffset());
        }
        String id = text(DeadLetterHeaders.OUTBOX_ID);
        if (id != null) {
            String table = text(DeadLetterHeaders.OUTBOX_TABLE);
            return "outbox " + (table == null ? "" : table) + "#" + id;
        }
        return "-";
    }

    /** How many times this record had been redriven before it was dead-lettered again (0 for a first failure). */
    int redrives() {
        String count = text(REDRIVE);
        if (count == null) {
            return 0;
        }
        try {
            return Integer.parseInt(count.trim());
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /** The last value of a header as text, or null. */
    String text(String name) {
        return DeadLetterHeaders.get(headers, name);
    }

    /**
     * The numeric coordinates spring-kafka writes as big-endian integers (4 bytes for a partition, 8 for an offset
     * or a timestamp); a header written as decimal text is read too.
     */
    Long number(String name) {
        Header header = headers.lastHeader(name);
        return header == null ? null : number(header.value());
    }

    static Long number(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        if (bytes.length == 4) {
            return (long) ByteBuffer.wrap(bytes).getInt();
        }
        if (bytes.length == 8) {
            return ByteBuffer.wrap(bytes).getLong();
        }
        try {
            return Long.parseLong(new String(bytes, StandardCharsets.UTF_8).trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Every header, last value wins, shown as text: numbers for spring-kafka's binary ones, base64 for other bytes. */
    Map<String, String> readableHeaders() {
        Map<String, String> result = new LinkedHashMap<>();
        for (Header header : headers) {
            result.put(header.key(), readable(header.key(), header.value()));
        }
        return result;
    }

    private static String readable(String name, byte[] value) {
        if (value == null) {
            return "";
        }
        if (name.equals(KafkaHeaders.DLT_ORIGINAL_PARTITION)
                || name.equals(KafkaHeaders.DLT_ORIGINAL_OFFSET)
                || name.equals(KafkaHeaders.DLT_ORIGINAL_TIMESTAMP)) {
            Long n = number(value);
            if (n != null) {
                return name.equals(KafkaHeaders.DLT_ORIGINAL_TIMESTAMP)
                        ? n + " (" + Instant.ofEpochMilli(n) + ")"
                        : n.toString();
            }
        }
        String text = utf8(value);
        return text != null ? text : "base64:" + Base64.getEncoder().encodeToString(value);
    }

    /** The bytes as text when they are valid UTF-8 without control characters other than whitespace, else null. */
    static String utf8(byte[] value) {
        try {
            String text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value))
                    .toString();
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t') {
                    return null;
                }
            }
            return text;
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static String orDash(Long n) {
        return n == null ? "?" : n.toString();
    }
}
