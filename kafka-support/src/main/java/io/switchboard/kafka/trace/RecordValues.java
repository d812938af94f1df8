package io.switchboard.kafka.trace;

import io.switchboard.kafka.DeadLetterHeaders;
import io.switchboard.schemas.ChannelPublish;
import io.switchboard.schemas.DeliveryReceipt;
import io.switchboard.schemas.RealtimeEvent;
import io.switchboard.schemas.wire.SchemaRegistry;
import io.switchboard.schemas.wire.WireFormat;
import io.switchboard.schemas.wire.WireFormatException;
import java.nio.charset.StandardCharsets;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Decodes the values of Switchboard's topics for readers that look for events rather than explain bad records (the
 * trace, the console): anything that cannot be decoded reads as null, since it has no event id to match, and
 * {@code switchboard dlq show} is the place that explains it. A reader that must say when its answer may be incomplete
 * (the command line's trace: "nothing matches" is not an answer when the records could not be read) hears of each such
 * record through an {@link Undecodable} listener.
 */
public final class RecordValues {

    /** Told of each record that cannot be decoded, with the reason ({@code UNKNOWN_SCHEMA_ID: ...}) in one line. */
    @FunctionalInterface
    public interface Undecodable {
        void record(ConsumerRecord<byte[], byte[]> record, String reason);

        Undecodable IGNORED = (record, reason) -> {};
    }

    private final SchemaRegistry registry;
    private final Undecodable undecodable;

    public RecordValues(SchemaRegistry registry) {
        this(registry, Undecodable.IGNORED);
    }

    public RecordValues(SchemaRegistry registry, Undecodable undecodable) {
        this.registry = registry;
        this.undecodable = undecodable;
    }

    /**
     * A {@link RealtimeEvent} or a {@link ChannelPublish}, chosen by the writer schema that the record's schema id
     * names (so a topic's name does not matter); null for a relay dead letter (an outbox row as JSON), a record that
     * is not Avro, or an unknown schema id.
     */
    public SpecificRecord eventOrPublish(ConsumerRecord<byte[], byte[]> record) {
        if ("relay".equals(DeadLetterHeaders.get(record.headers(), DeadLetterHeaders.STAGE))) {
            return null;
        }
        try {
            Schema writer = registry.schemaFor(WireFormat.schemaId(record.value()));
            Schema reader;
            if (writer.getFullName().equals(RealtimeEvent.getClassSchema().getFullName())) {
                reader = RealtimeEvent.getClassSchema();
            } else if (writer.getFullName()
                    .equals(ChannelPublish.getClassSchema().getFullName())) {
                reader = ChannelPublish.getClassSchema();
            } else {
                return null;
            }
            return WireFormat.decode(record.value(), registry, reader);
        } catch (WireFormatException | AvroRuntimeException e) {
            undecodable.record(record, oneLine(e));
            return null;
        }
    }

    /** A ledger receipt, or null when the value is not one. */
    public DeliveryReceipt receipt(ConsumerRecord<byte[], byte[]> record) {
        try {
            return WireFormat.decode(record.value(), registry, DeliveryReceipt.getClassSchema());
        } catch (WireFormatException | AvroRuntimeException e) {
            undecodable.record(record, oneLine(e));
            return null;
        }
    }

    private static String oneLine(RuntimeException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.replaceAll("\\s*\\R\\s*", " ");
    }

    /** The record's key as text, or null. */
    public static String key(ConsumerRecord<byte[], byte[]> record) {
        return record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    }

    /** The last value of a header as text, or null. */
    public static String header(ConsumerRecord<?, ?> record, String name) {
        return DeadLetterHeaders.get(record.headers(), name);
    }
}
