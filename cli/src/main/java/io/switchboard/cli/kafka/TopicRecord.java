package io.switchboard.cli.kafka;

import io.switchboard.schemas.ChannelPublish;
import io.switchboard.schemas.RealtimeEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * A record of a Switchboard topic with its value decoded: a {@link RealtimeEvent} (realtime.events and its dead-letter
 * topic) or a {@link ChannelPublish} (realtime.publish and its dead-letter topic). The bytes are kept as they were
 * written, so a replay can send them back untouched.
 */
public record TopicRecord(ConsumerRecord<byte[], byte[]> raw, SpecificRecord value, int schemaId) {

    /** {@code topic:partition:offset}, as {@code dlq show} takes it. */
    public String coordinates() {
        return raw.topic() + ":" + raw.partition() + ":" + raw.offset();
    }

    /** The record's Kafka timestamp (what --since, --from and --to select on). */
    public Instant time() {
        return Instant.ofEpochMilli(raw.timestamp());
    }

    public String key() {
        return raw.key() == null ? null : new String(raw.key(), StandardCharsets.UTF_8);
    }

    public boolean isEvent() {
        return value instanceof RealtimeEvent;
    }

    public String eventId() {
        return value instanceof RealtimeEvent e ? e.getEventId() : ((ChannelPublish) value).getEventId();
    }

    /** The event type ({@code RealtimeEvent.type}, {@code ChannelPublish.name}). */
    public String type() {
        return value instanceof RealtimeEvent e ? e.getType() : ((ChannelPublish) value).getName();
    }

    /** The domain payload as JSON text ({@code RealtimeEvent.payload}, {@code ChannelPublish.data}). */
    public String payload() {
        return value instanceof RealtimeEvent e ? e.getPayload() : ((ChannelPublish) value).getData();
    }

    /** The Kafka headers as text (last value wins). */
    public Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header header : raw.headers()) {
            headers.put(header.key(), header.value() == null ? "" : new String(header.value(), StandardCharsets.UTF_8));
        }
        return headers;
    }
}
