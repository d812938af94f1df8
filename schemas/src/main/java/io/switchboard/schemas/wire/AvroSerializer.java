package io.switchboard.schemas.wire;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;

/** Kafka serializer for generated Avro records in the Confluent wire format (subject: topic name strategy). */
public class AvroSerializer<T extends SpecificRecord> implements Serializer<T> {

    private SchemaRegistry registry;
    private String suffix = "-value";
    /** Ids by topic and schema: generated classes share one Schema instance, so lookups are by identity. */
    private final Map<String, Map<Schema, Integer>> ids = new ConcurrentHashMap<>();

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
        Schema schema = data.getSchema();
        int id = ids.computeIfAbsent(topic, t -> java.util.Collections.synchronizedMap(new IdentityHashMap<>()))
                .computeIfAbsent(schema, s -> registry.idFor(topic + suffix, s));
        return WireFormat.encode(id, data);
    }
}
