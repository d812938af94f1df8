package io.switchboard.gateway.console;

import static io.switchboard.gateway.console.Records.COMMITTED;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.kafka.trace.RecordValues;
import io.switchboard.schemas.wire.PinnedSchemaRegistry;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class FeedRowsTest {

    private final RecordValues values = new RecordValues(PinnedSchemaRegistry.instance());

    @Test
    void aPublishedReceiptIsAnEventRowWithItsLatencyFromCommit() {
        PublishedEvent row = FeedRows.published(Records.published("e1", 734, "private-audit-1", "private-fiche-2"));

        assertThat(row.eventId()).isEqualTo("e1");
        assertThat(row.name()).isEqualTo("audit.step_completed");
        assertThat(row.channels()).containsExactly("private-audit-1", "private-fiche-2");
        assertThat(row.latencyMillis()).isEqualTo(734);
        assertThat(row.settledAt()).isEqualTo(COMMITTED.plusMillis(734));
        assertThat(row.httpStatus()).isEqualTo(200);
        assertThat(row.bytes()).as("unknown until the publish record is joined").isNull();
    }

    @Test
    void theRoutedDataGivesTheSizeInUtf8BytesAndTheTruncation() {
        PublishedEvent.Data data = FeedRows.data(Records.publish("e1", "{\"name\":\"Zoë\"}", true, 12_000));

        assertThat(data).isEqualTo(new PublishedEvent.Data(15, true, 12_000, "audits"));
        PublishedEvent joined = FeedRows.published(Records.published("e1", 10, "private-audit-1"))
                .with(data);
        assertThat(joined.bytes()).isEqualTo(15);
        assertThat(joined.truncated()).isTrue();
        assertThat(joined.originalBytes()).isEqualTo(12_000);
        assertThat(joined.rule()).isEqualTo("audits");
    }

    @Test
    void aDroppedReceiptIsANotPublishedRowWithItsPolicyReason() {
        NotPublished row = FeedRows.dropped(
                Records.receipt("e2", "DROPPED", "PROGRESS_REGRESSED", "40 after 60", 3, "private-audit-1"));

        assertThat(row.kind()).isEqualTo(NotPublished.DROPPED);
        assertThat(row.stage()).isEqualTo("router");
        assertThat(row.reason()).isEqualTo("PROGRESS_REGRESSED");
        assertThat(row.text()).isEqualTo("40 after 60");
        assertThat(row.where()).isEqualTo("realtime.publish:1:42");
    }

    @Test
    void aRouterDeadLetterCarriesItsReasonTheEventAndItsType() {
        ConsumerRecord<byte[], byte[]> record = Records.routerDeadLetter(
                "realtime.events.dlq",
                7,
                Records.event("e3", "audit.step_completed", "{\"audit_id\":\"a b\"}"),
                "UNSAFE_PLACEHOLDER",
                "field 'audit_id' has the value \"a b\"");

        NotPublished row = FeedRows.deadLetter(record, values.eventOrPublish(record));

        assertThat(row.kind()).isEqualTo(NotPublished.DEAD_LETTER);
        assertThat(row.stage()).isEqualTo("router");
        assertThat(row.reason()).isEqualTo("UNSAFE_PLACEHOLDER");
        assertThat(row.text()).isEqualTo("field 'audit_id' has the value \"a b\"");
        assertThat(row.eventId()).isEqualTo("e3");
        assertThat(row.type()).isEqualTo("audit.step_completed");
        assertThat(row.key()).isEqualTo("audit-1");
        assertThat(row.where()).isEqualTo("realtime.events.dlq:0:7");
        assertThat(row.at()).isEqualTo(COMMITTED.plusSeconds(1));
    }

    @Test
    void aRelayDeadLetterTakesItsTypeFromTheOutboxRow() {
        ConsumerRecord<byte[], byte[]> record = Records.relayDeadLetter(
                "realtime.events.dlq",
                8,
                "{\"id\":12,\"type\":\"audit.failed\",\"payload\":\"[1]\"}",
                "PAYLOAD_NOT_OBJECT");

        NotPublished row = FeedRows.deadLetter(record, values.eventOrPublish(record));

        assertThat(row.stage()).isEqualTo("relay");
        assertThat(row.type()).isEqualTo("audit.failed");
        assertThat(row.reason()).isEqualTo("PAYLOAD_NOT_OBJECT");
        assertThat(row.channels()).isEqualTo(List.of());
    }
}
