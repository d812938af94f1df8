package io.switchboard.cli.kafka;

import io.switchboard.kafka.DeadLetterHeaders;
import io.switchboard.schemas.ChannelPublish;
import io.switchboard.schemas.RealtimeEvent;
import io.switchboard.schemas.wire.SchemaRegistry;
import io.switchboard.schemas.wire.WireFormat;
import io.switchboard.schemas.wire.WireFormatException;
import java.util.function.BiConsumer;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Decodes the records of any Switchboard topic with the schemas module: the writer schema that the record's schema id
 * names says whether it is a {@link RealtimeEvent} or a {@link ChannelPublish}, so a topic's name does not matter.
 * A record that cannot be decoded (an unknown schema id, bytes that are not Avro) is a one-line failure naming it, or,
 * for a reader that carries on, a reason handed to it.
 */
public final class RecordDecoder {

    private final SchemaRegistry registry;

    public RecordDecoder(SchemaRegistry registry) {
        this.registry = registry;
    }

    /** The decoded record, or null for a relay dead letter (an outbox row as JSON, not an Avro record). */
    public TopicRecord decode(ConsumerRecord<byte[], byte[]> record) {
        try {
            return decodeOrThrow(record);
        } catch (NotDecodable e) {
            throw new CliFailure("cannot decode " + where(record) + ": " + e.getMessage());
        }
    }

    /**
     * {@link #decode}, for readers that carry on past a bad record (tail): a record that cannot be decoded is handed
     * to {@code undecodable} with the reason in one line, and reads as null.
     */
    public TopicRecord decode(
            ConsumerRecord<byte[], byte[]> record, BiConsumer<ConsumerRecord<byte[], byte[]>, String> undecodable) {
        try {
            return decodeOrThrow(record);
        } catch (NotDecodable e) {
            undecodable.accept(record, e.getMessage());
            return null;
        }
    }

    private TopicRecord decodeOrThrow(ConsumerRecord<byte[], byte[]> record) {
        if ("relay".equals(DeadLetterHeaders.get(record.headers(), DeadLetterHeaders.STAGE))) {
            return null;
        }
        try {
            int id = WireFormat.schemaId(record.value());
            Schema writer = registry.schemaFor(id);
            Schema reader;
            if (writer.getFullName().equals(RealtimeEvent.getClassSchema().getFullName())) {
                reader = RealtimeEvent.getClassSchema();
            } else if (writer.getFullName()
                    .equals(ChannelPublish.getClassSchema().getFullName())) {
                reader = ChannelPublish.getClassSchema();
            } else {
                throw new NotDecodable("schema id " + id + " is " + writer.getFullName()
                        + ", neither RealtimeEvent nor ChannelPublish");
            }
            SpecificRecord value = WireFormat.decode(record.value(), registry, reader);
            return new TopicRecord(record, value, id);
        } catch (WireFormatException e) {
            throw new NotDecodable(withHint(Topics.oneLine(e)));
        }
    }

    /** A reason a record does not decode, with what to do when the schema id is unknown. */
    public static String withHint(String reason) {
        return reason.startsWith(WireFormatException.Reason.UNKNOWN_SCHEMA_ID.name())
                ? reason + " (written with another schema registry? set SCHEMA_REGISTRY_URL or --schema-registry-url)"
                : reason;
    }

    /** {@code topic:partition:offset}. */
    public static String where(ConsumerRecord<?, ?> record) {
        return record.topic() + ":" + record.partition() + ":" + record.offset();
    }

    /** Why a record does not decode, in one line. */
    private static final class NotDecodable extends RuntimeException {
        NotDecodable(String reason) {
            super(reason, null, false, false);
        }
    }
}
