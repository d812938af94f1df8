package io.switchboard.schemas.wire;

import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;

/** Kafka serializer for generated Avro records in the Confluent wire format (subject: topic name strategy). */
public class AvroSerializer<T extends SpecificRecord> implements Serializer<T> {

    private SchemaRegistry registry;
    private String suffix = "-value";

    public AvroSerializer() {}

    public AvroSerializer(SchemaRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (registry == null) {
            registry = SchemaRegistry.fromConfigs(configs);
        }
        suffix = isKey ? "-key" : "-value";
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        if (registry == null) {
            registry = PinnedSchemaRegistry.instance();
        }
        return WireFormat.encode(registry.idFor(topic + suffix, data.getSchema()), data);
    }
}
