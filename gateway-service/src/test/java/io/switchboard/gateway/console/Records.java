package io.switchboard.gateway.console;

import io.switchboard.kafka.DeadLetterHeaders;
import io.switchboard.schemas.ChannelPublish;
import io.switchboard.schemas.DeliveryReceipt;
import io.switchboard.schemas.RealtimeEvent;
import io.switchboard.schemas.wire.WireFormat;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/** Records as the pipeline writes them (pinned schema ids: 1 event, 2 publish, 3 receipt), for the console's tests. */
final class Records {

    static final Instant COMMITTED = Instant.parse("2026-12-03T10:00:00Z");

    private Records() {}

    static DeliveryReceipt published(String eventId, long latencyMillis, String... channels) {
        return receipt(eventId, "PUBLISHED", null, null, latencyMillis, channels);
    }

    static DeliveryReceipt receipt(
            String eventId, String outcome, String reason, String detail, long afterMillis, String... channels) {
        return DeliveryReceipt.newBuilder()
                .setEventId(eventId)
                .setAggregateId("audit-1")
                .setType("audit.step_completed")
                .setStage(outcome.equals("PUBLISHED") || outcome.equals("SKIPPED_DUPLICATE") ? "publisher" : "router")
                .setOutcome(outcome)
                .setReason(reason)
                .setDetail(detail)
                .setChannels(List.of(channels))
                .setAttempts(outcome.equals("PUBLISHED") ? 1 : 0)
                .setHttpStatus(outcome.equals("PUBLISHED") ? 200 : null)
                .setCommittedAt(COMMITTED)
                .setSettledAt(COMMITTED.plusMillis(afterMillis))
                .setSourceTopic("realtime.publish")
                .setSourcePartition(1)
                .setSourceOffset(42)
                .build();
    }

    static ChannelPublish publish(String eventId, String data, boolean truncated, int originalBytes) {
        return ChannelPublish.newBuilder()
                .setEventId(eventId)
                .setName("audit.step_completed")
                .setChannels(List.of("private-audit-1"))
                .setData(data)
                .setOccurredAt(COMMITTED)
                .setRoutedAt(COMMITTED.plusMillis(5))
                .setTruncated(truncated)
                .setOriginalBytes(originalBytes)
                .setHeaders(Map.of("switchboard-rule", "audits"))
                .build();
    }

    static RealtimeEvent event(String eventId, String type, String payload) {
        return RealtimeEvent.newBuilder()
                .setEventId(eventId)
                .setType(type)
                .setOccurredAt(COMMITTED)
                .setSource("audit-service")
                .setAggregateId("audit-1")
                .setPayload(payload)
                .setHeaders(Map.of())
                .build();
    }

    static ConsumerRecord<byte[], byte[]> ledger(String topic, long offset, DeliveryReceipt receipt) {
        return record(topic, offset, receipt.getEventId(), WireFormat.encode(3, receipt), new RecordHeaders());
    }

    static ConsumerRecord<byte[], byte[]> onPublish(String topic, long offset, ChannelPublish publish) {
        return record(topic, offset, "audit-1", WireFormat.encode(2, publish), new RecordHeaders());
    }

    /** A dead letter as the router writes it: the event again, with the reason headers. */
    static ConsumerRecord<byte[], byte[]> routerDeadLetter(
            String topic, long offset, RealtimeEvent event, String reason, String text) {
        RecordHeaders headers = new RecordHeaders();
        DeadLetterHeaders.add(headers, "router", reason, text, event.getEventId());
        return record(topic, offset, event.getAggregateId(), WireFormat.encode(1, event), headers);
    }

    /** A dead letter as the relay writes it: the outbox row as JSON. */
    static ConsumerRecord<byte[], byte[]> relayDeadLetter(String topic, long offset, String rowJson, String reason) {
        RecordHeaders headers = new RecordHeaders();
        DeadLetterHeaders.add(headers, "relay", reason, "the row's payload is not a JSON object", "e-relay");
        return record(topic, offset, "audit-1", rowJson.getBytes(StandardCharsets.UTF_8), headers);
    }

    static ConsumerRecord<byte[], byte[]> record(
            String topic, long offset, String key, byte[] value, RecordHeaders headers) {
        return new ConsumerRecord<>(
                topic,
                0,
                offset,
                COMMITTED.plusSeconds(1).toEpochMilli(),
                TimestampType.CREATE_TIME,
                -1,
                value.length,
                key.getBytes(StandardCharsets.UTF_8),
                value,
                headers,
                Optional.empty());
    }
}
