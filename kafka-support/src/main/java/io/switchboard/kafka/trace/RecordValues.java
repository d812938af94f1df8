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
 * {@code switchboard dlq show} is the place that explains it.
 */
public final class RecordValues {

    private final SchemaRegistry registry;

    public RecordValues(SchemaRegistry registry) {
        this.registry = registry;
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
            return null;
        }
    }

    /** A ledger receipt, or null when the value is not one. */
    public DeliveryReceipt receipt(ConsumerRecord<byte[], byte[]> record) {
        try {
            return WireFormat.decode(record.value(), registry, DeliveryReceipt.getClassSchema());
        } catch (WireFormatException | AvroRuntimeException e) {
            return null;
        }
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
