package io.switchboard.kafka.trace;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Fields of a relay dead letter's value, the outbox row as JSON (docs/dead-letters.md): what a trace can tell of an
 * event that never reached the events topic. A value that is not such a row reads as null fields.
 */
final class RelayRows {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private RelayRows() {}

    /** A text field of the row ({@code type}, {@code aggregateId}, …), or null. */
    static String text(ConsumerRecord<byte[], byte[]> record, String field) {
        if (record.value() == null) {
            return null;
        }
        try {
            JsonNode value = JSON.readTree(record.value()).path(field);
            return value.isString() ? value.asString() : null;
        } catch (JacksonException e) {
            return null;
        }
    }

    /** A time field of the row ({@code createdAt}, ISO-8601), or null. */
    static Instant instant(ConsumerRecord<byte[], byte[]> record, String field) {
        String text = text(record, field);
        try {
            return text == null ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
