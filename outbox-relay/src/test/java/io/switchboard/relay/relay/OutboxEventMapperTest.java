package io.switchboard.relay.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.relay.outbox.OutboxRow;
import io.switchboard.schemas.RealtimeEvent;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OutboxEventMapperTest {

    private final OutboxEventMapper mapper = new OutboxEventMapper("outbox-relay", 1000);

    static OutboxRow row(String type, String payload, String channels, String headers) {
        return new OutboxRow(
                7,
                "3f0c",
                type,
                null,
                "audit",
                "A1",
                payload,
                channels,
                "",
                headers,
                Instant.ofEpochMilli(1_700_000_000_000L));
    }

    @Test
    void mapsARowToARealtimeEvent() {
        RealtimeEvent event = mapper.toEvent(row(
                "audit.progress",
                "{\"audit_id\":\"A1\",\"progress_percentage\":60}",
                "[\"private-audit-A1\"]",
                "{\"traceparent\":\"00-1-2-01\"}"));
        assertThat(event.getEventId()).isEqualTo("3f0c");
        assertThat(event.getType()).isEqualTo("audit.progress");
        assertThat(event.getSource()).isEqualTo("outbox-relay");
        assertThat(event.getAggregateId()).isEqualTo("A1");
        assertThat(event.getOccurredAt()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
        assertThat(event.getChannels()).containsExactly("private-audit-A1");
        assertThat(event.getSocketId()).as("a blank socket id is no socket id").isNull();
        assertThat(event.getHeaders())
                .containsEntry("traceparent", "00-1-2-01")
                .containsEntry(OutboxEventMapper.OUTBOX_ID_HEADER, "7");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            nullValues = "NULL",
            value = {
                "MISSING_TYPE | '' | {} | NULL | NULL",
                "MISSING_TYPE | NULL | {} | NULL | NULL",
                "PAYLOAD_NOT_OBJECT | audit.progress | [1,2] | NULL | NULL",
                "PAYLOAD_NOT_OBJECT | audit.progress | \"text\" | NULL | NULL",
                "PAYLOAD_NOT_OBJECT | audit.progress | {broken | NULL | NULL",
                "CHANNELS_NOT_STRING_ARRAY | audit.progress | {} | {\"a\":1} | NULL",
                "CHANNELS_NOT_STRING_ARRAY | audit.progress | {} | [1] | NULL",
                "HEADERS_NOT_STRING_MAP | audit.progress | {} | NULL | [\"x\"]",
                "HEADERS_NOT_STRING_MAP | audit.progress | {} | NULL | {\"n\":1}"
            })
    void refusesRowsThatCanNeverBeEvents(
            BadRowException.Reason reason, String type, String payload, String channels, String headers) {
        assertThatThrownBy(() -> mapper.toEvent(row(type, payload, channels, headers)))
                .isInstanceOfSatisfying(
                        BadRowException.class, e -> assertThat(e.reason()).isEqualTo(reason))
                .hasMessageContaining("outbox row 7");
    }

    @Test
    void refusesOverlongTypesAndPayloads() {
        assertThatThrownBy(() -> mapper.toEvent(row("t".repeat(201), "{}", null, null)))
                .isInstanceOfSatisfying(
                        BadRowException.class,
                        e -> assertThat(e.reason()).isEqualTo(BadRowException.Reason.TYPE_TOO_LONG));
        assertThatThrownBy(() -> mapper.toEvent(row("a", "{\"x\":\"" + "é".repeat(500) + "\"}", null, null)))
                .as("the limit counts UTF-8 bytes, not characters")
                .isInstanceOfSatisfying(
                        BadRowException.class,
                        e -> assertThat(e.reason()).isEqualTo(BadRowException.Reason.ROW_TOO_LARGE));
    }
}
