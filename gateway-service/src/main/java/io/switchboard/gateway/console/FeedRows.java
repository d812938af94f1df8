package io.switchboard.gateway.console;

import io.switchboard.kafka.DeadLetterHeaders;
import io.switchboard.kafka.trace.RecordValues;
import io.switchboard.schemas.ChannelPublish;
import io.switchboard.schemas.DeliveryReceipt;
import io.switchboard.schemas.RealtimeEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What each record the console reads becomes: a row of one of its lists. Pure functions, no state. */
final class FeedRows {

    static final String RULE_HEADER = "switchboard-rule";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private FeedRows() {}

    /** A PUBLISHED receipt. */
    static PublishedEvent published(DeliveryReceipt r) {
        Long latency = r.getCommittedAt() == null
                ? null
                : Duration.between(r.getCommittedAt(), r.getSettledAt()).toMillis();
        return new PublishedEvent(
                r.getEventId(),
                r.getType(),
                r.getAggregateId(),
                List.copyOf(r.getChannels()),
                r.getCommittedAt(),
                r.getSettledAt(),
                latency,
                r.getAttempts(),
                r.getHttpStatus(),
                r.getRule(),
                null,
                null,
                null);
    }

    /** The router's record on the publish topic: the size of what Pusher receives, and whether it was cut down. */
    static PublishedEvent.Data data(ChannelPublish p) {
        return new PublishedEvent.Data(
                p.getData().getBytes(StandardCharsets.UTF_8).length,
                p.getTruncated(),
                p.getOriginalBytes(),
                p.getHeaders().get(RULE_HEADER));
    }

    /** A DROPPED receipt: not published by a named policy (the progress guard). */
    static NotPublished dropped(DeliveryReceipt r) {
        return new NotPublished(
                NotPublished.DROPPED,
                r.getStage(),
                r.getReason(),
                r.getDetail(),
                r.getEventId(),
                r.getType(),
                r.getAggregateId(),
                List.copyOf(r.getChannels()),
                r.getSettledAt(),
                r.getSourceTopic() + ":" + r.getSourcePartition() + ":" + r.getSourceOffset(),
                null);
    }

    /**
     * A record of a dead-letter topic: the reason headers say what and why; the value gives the event type (an Avro
     * event or publish for the router and the publisher, the outbox row as JSON for the relay).
     */
    static NotPublished deadLetter(ConsumerRecord<byte[], byte[]> record, SpecificRecord value) {
        String stage = RecordValues.header(record, DeadLetterHeaders.STAGE);
        String type = null;
        List<String> channels = List.of();
        if (value instanceof RealtimeEvent e) {
            type = e.getType();
            channels = e.getChannels() == null ? List.of() : List.copyOf(e.getChannels());
        } else if (value instanceof ChannelPublish p) {
            type = p.getName();
            channels = List.copyOf(p.getChannels());
        } else if ("relay".equals(stage)) {
            type = relayRowType(record.value());
        }
        String status = RecordValues.header(record, "switchboard-http-status");
        return new NotPublished(
                NotPublished.DEAD_LETTER,
                stage,
                RecordValues.header(record, DeadLetterHeaders.REASON),
                RecordValues.header(record, DeadLetterHeaders.REASON_TEXT),
                RecordValues.header(record, DeadLetterHeaders.EVENT_ID),
                type,
                RecordValues.key(record),
                channels,
                Instant.ofEpochMilli(record.timestamp()),
                record.topic() + ":" + record.partition() + ":" + record.offset(),
                status == null || !status.matches("\\d{1,3}") ? null : Integer.valueOf(status));
    }

    private static String relayRowType(byte[] value) {
        if (value == null) {
            return null;
        }
        try {
            JsonNode type = JSON.readTree(value).path("type");
            return type.isString() ? type.asString() : null;
        } catch (JacksonException e) {
            return null; // a row the relay could not even serialize: its reason says so
        }
    }
}
