package io.switchboard.relay.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.kafka.DeadLetterHeaders;
import io.switchboard.relay.outbox.OutboxRow;
import io.switchboard.relay.outbox.OutboxTable;
import io.switchboard.relay.relay.BadRowException.Reason;
import io.switchboard.relay.relay.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class DeadLetterRecordsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int LIMIT = 100_000;

    private final DeadLetterRecords records =
            new DeadLetterRecords("realtime.events.dlq", new OutboxTable("app.switchboard_outbox"), LIMIT);

    private static OutboxRow row(String payload) {
        return new OutboxRow(
                42,
                "0b6f3c1e-0000-4000-8000-000000000042",
                "audit.progress",
                "audit-service",
                "audit",
                "audit-1",
                payload,
                "[\"private-audit-1\"]",
                null,
                "{\"traceparent\":\"00-1-2-01\"}",
                Instant.parse("2026-12-03T06:00:00Z"));
    }

    private static JsonNode value(ProducerRecord<String, byte[]> record) {
        return JSON.readTree(new String(record.value(), StandardCharsets.UTF_8));
    }

    @Test
    void aDeadLetterCarriesTheSharedHeaderSetAndTheWholeRow() {
        ProducerRecord<String, byte[]> record =
                records.build(new DeadLetter(row("[1]"), Reason.PAYLOAD_NOT_OBJECT, "not an object", false));
        assertThat(record.topic()).isEqualTo("realtime.events.dlq");
        assertThat(record.key()).isEqualTo("audit-1");
        assertThat(DeadLetterHeaders.get(record.headers(), DeadLetterHeaders.STAGE))
                .isEqualTo("relay");
        assertThat(DeadLetterHeaders.get(record.headers(), DeadLetterHeaders.REASON))
                .isEqualTo("PAYLOAD_NOT_OBJECT");
        assertThat(DeadLetterHeaders.get(record.headers(), DeadLetterHeaders.REASON_TEXT))
                .isEqualTo("not an object");
        assertThat(DeadLetterHeaders.get(record.headers(), DeadLetterHeaders.EVENT_ID))
                .isEqualTo("0b6f3c1e-0000-4000-8000-000000000042");
        assertThat(DeadLetterHeaders.get(record.headers(), DeadLetterHeaders.OUTBOX_ID))
                .isEqualTo("42");
        assertThat(DeadLetterHeaders.get(record.headers(), DeadLetterHeaders.OUTBOX_TABLE))
                .isEqualTo("app.switchboard_outbox");
        assertThat(record.headers().lastHeader("switchboard-message"))
                .as("replaced by the reason text")
                .isNull();
        JsonNode row = value(record);
        assertThat(row.get("payload").asString()).isEqualTo("[1]");
        assertThat(row.get("type").asString()).isEqualTo("audit.progress");
        assertThat(row.get("id").asLong()).isEqualTo(42);
        assertThat(row.has("truncated")).isFalse();
    }

    @Test
    void anOversizeRowsDeadLetterFitsWithAPayloadPrefixAndItsSize() {
        String payload = "{\"text\":\"" + "é".repeat(750_000) + "\"}"; // 1.5 MB of UTF-8
        ProducerRecord<String, byte[]> record =
                records.build(new DeadLetter(row(payload), Reason.ROW_TOO_LARGE, "too large", false));
        assertThat(RecordSize.of(record)).isLessThanOrEqualTo(LIMIT);
        JsonNode row = value(record);
        assertThat(row.get("truncated").asBoolean()).isTrue();
        assertThat(row.get("payloadBytes").asInt()).isEqualTo(payload.getBytes(StandardCharsets.UTF_8).length);
        assertThat(payload).startsWith(row.get("payload").asString());
        assertThat(row.get("payload").asString().getBytes(StandardCharsets.UTF_8))
                .hasSizeBetween(DeadLetterRecords.PAYLOAD_PREFIX_BYTES - 1, DeadLetterRecords.PAYLOAD_PREFIX_BYTES);
        assertThat(row.get("aggregateId").asString()).isEqualTo("audit-1");
        assertThat(DeadLetterHeaders.get(record.headers(), DeadLetterHeaders.REASON_TEXT))
                .contains("keeps the first 16384 bytes of its 1500011-byte payload")
                .contains("too large");
    }

    @Test
    void aMetadataOnlyDeadLetterKeepsNoContent() {
        ProducerRecord<String, byte[]> record =
                records.build(new DeadLetter(row("{\"a\":1}"), Reason.ROW_TOO_LARGE, "refused twice", true));
        JsonNode row = value(record);
        assertThat(row.has("payload")).isFalse();
        assertThat(row.has("headers")).isFalse();
        assertThat(row.get("metadataOnly").asBoolean()).isTrue();
        assertThat(row.get("payloadBytes").asInt()).isEqualTo(7);
        assertThat(row.get("eventId").asString()).isEqualTo("0b6f3c1e-0000-4000-8000-000000000042");
        assertThat(RecordSize.of(record)).isLessThan(3_000);
    }

    @Test
    void prefixesNeverSplitACharacter() {
        assertThat(DeadLetterRecords.prefix("aé€😀", 1)).isEqualTo("a");
        assertThat(DeadLetterRecords.prefix("aé€😀", 4)).isEqualTo("aé");
        assertThat(DeadLetterRecords.prefix("aé€😀", 9)).isEqualTo("aé€");
        assertThat(DeadLetterRecords.prefix("aé€😀", 10)).isEqualTo("aé€😀");
    }
}
