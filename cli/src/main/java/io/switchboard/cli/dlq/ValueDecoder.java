package io.switchboard.cli.dlq;

import io.switchboard.cli.kafka.AvroJson;
import io.switchboard.schemas.ChannelPublish;
import io.switchboard.schemas.RealtimeEvent;
import io.switchboard.schemas.wire.AvroDeserializer;
import io.switchboard.schemas.wire.SchemaRegistry;
import io.switchboard.schemas.wire.WireFormat;
import io.switchboard.schemas.wire.WireFormatException;
import java.util.Base64;
import org.apache.avro.specific.SpecificRecord;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Reads a dead letter's value as its stage wrote it (docs/dead-letters.md): the relay's outbox row as JSON, the
 * router's {@code RealtimeEvent} and the publisher's {@code ChannelPublish} in the Confluent wire format, with the
 * schemas module's deserializer. Bytes that do not decode are kept as base64 with the reason.
 */
final class ValueDecoder {

    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** What the value turned out to be: {@code format} is {@code avro}, {@code json} or {@code bytes}. */
    record Decoded(String format, String type, Integer schemaId, JsonNode value, String undecodable) {}

    private final AvroDeserializer<RealtimeEvent> events;
    private final AvroDeserializer<ChannelPublish> publishes;

    ValueDecoder(SchemaRegistry registry) {
        this.events = new AvroDeserializer<>(RealtimeEvent.class, registry);
        this.publishes = new AvroDeserializer<>(ChannelPublish.class, registry);
    }

    /**
     * @param fromPublishTopic whether the dead letter came from the publisher's dead-letter topic (used when the
     *     stage header is missing)
     */
    Decoded decode(DeadLetter letter, boolean fromPublishTopic) {
        byte[] value = letter.value();
        if (value == null || value.length == 0) {
            return new Decoded("bytes", null, null, null, "EMPTY: the value is empty (a tombstone)");
        }
        String stage = letter.stage();
        if ("relay".equals(stage)) {
            return json(value);
        }
        boolean publish = "publisher".equals(stage) || (stage == null && fromPublishTopic);
        if (stage == null && value[0] == '{') {
            return json(value);
        }
        Integer schemaId = null;
        try {
            schemaId = WireFormat.schemaId(value);
            SpecificRecord record =
                    publish ? publishes.deserialize(letter.topic(), value) : events.deserialize(letter.topic(), value);
            return new Decoded("avro", record.getSchema().getName(), schemaId, AvroJson.toJson(record), null);
        } catch (WireFormatException e) {
            return bytes(value, schemaId, e.getMessage());
        } catch (RuntimeException e) {
            return bytes(value, schemaId, "NOT_DESERIALIZABLE: " + DeadLetterScan.oneLine(e));
        }
    }

    private static Decoded json(byte[] value) {
        try {
            return new Decoded("json", "outbox row", null, JSON.readTree(value), null);
        } catch (JacksonException e) {
            return bytes(value, null, "NOT_JSON: " + e.getOriginalMessage());
        }
    }

    private static Decoded bytes(byte[] value, Integer schemaId, String reason) {
        return new Decoded(
                "bytes", null, schemaId, NODES.stringNode(Base64.getEncoder().encodeToString(value)), reason);
    }
}
