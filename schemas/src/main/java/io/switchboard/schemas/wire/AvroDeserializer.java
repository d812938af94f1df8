package io.switchboard.schemas.wire;

import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Kafka deserializer for the Confluent wire format into a generated Avro class. The target class comes from the
 * constructor or from the config {@value #TYPE_CONFIG}. Bad bytes throw {@link WireFormatException} with a reason.
 */
public class AvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {

    public static final String TYPE_CONFIG = "switchboard.avro.type";

    private SchemaRegistry registry;
    private Schema readerSchema;

    public AvroDeserializer() {}

    public AvroDeserializer(Class<T> type, SchemaRegistry registry) {
        this.readerSchema = SpecificData.get().getSchema(type);
        this.registry = registry;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (registry == null) {
            registry = SchemaRegistry.fromConfigs(configs);
        }
        if (readerSchema == null) {
            Object type = configs.get(TYPE_CONFIG);
            if (type == null) {
                throw new IllegalArgumentException(TYPE_CONFIG + " may not be null: name the generated Avro class");
            }
            try {
                Class<?> cls = type instanceof Class<?> c ? c : Class.forName(type.toString());
                readerSchema = SpecificData.get().getSchema(cls);
            } catch (ClassNotFoundException e) {
                throw new IllegalArgumentException(TYPE_CONFIG + " names an unknown class: " + type, e);
            }
        }
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (readerSchema == null) {
            throw new IllegalStateException("AvroDeserializer is not configured: " + TYPE_CONFIG + " is missing");
        }
        return WireFormat.decode(data, registry, readerSchema);
    }
}
