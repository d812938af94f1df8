package io.switchboard.cli.kafka;

import io.switchboard.kafka.DeadLetterHeaders;
import io.switchboard.schemas.ChannelPublish;
import io.switchboard.schemas.RealtimeEvent;
import io.switchboard.schemas.wire.SchemaRegistry;
import io.switchboard.schemas.wire.WireFormat;
import io.switchboard.schemas.wire.WireFormatException;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Decodes the records of any Switchboard topic with the schemas module: the writer schema that the record's schema id
 * names says whether it is a {@link RealtimeEvent} or a {@link ChannelPublish}, so a topic's name does not matter.
 * A record that cannot be decoded (an unknown schema id, bytes that are not Avro) is a one-line failure naming it.
 */
public final class RecordDecoder {

    private final SchemaRegistry registry;

    public RecordDecoder(SchemaRegistry registry) {
        this.registry = registry;
    }

    /** The decoded record, or null for a relay dead letter (an outbox row as JSON, not an Avro record). */
    public TopicRecord decode(ConsumerRecord<byte[], byte[]> record) {
        String where = record.topic() + ":" + record.partition() + ":" + record.offset();
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
                throw new CliFailure("cannot decode " + where + ": schema id " + id + " is " + writer.getFullName()
                        + ", neither RealtimeEvent nor ChannelPublish");
            }
            SpecificRecord value = WireFormat.decode(record.value(), registry, reader);
            return new TopicRecord(record, value, id);
        } catch (WireFormatException e) {
            String hint = e.reason() == WireFormatException.Reason.UNKNOWN_SCHEMA_ID
                    ? " (written with another schema registry? set SCHEMA_REGISTRY_URL or --schema-registry-url)"
                    : "";
            throw new CliFailure("cannot decode " + where + ": " + Topics.oneLine(e) + hint);
        }
    }
}
