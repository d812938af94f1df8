package io.switchboard.schemas.wire;

import java.util.Map;
import org.apache.avro.Schema;

/**
 * Where schema ids come from: the ids pinned in this module, or a Confluent-compatible registry
 * (Confluent Schema Registry, Apicurio's compatibility API, Karapace, Redpanda) when {@value #URL_CONFIG} is set.
 */
public interface SchemaRegistry {

    /** Kafka client config key (and {@code SCHEMA_REGISTRY_URL} in the services). */
    String URL_CONFIG = "schema.registry.url";

    /** The id under which {@code schema} is registered for {@code subject} (topic name strategy: {@code topic-value}). */
    int idFor(String subject, Schema schema);

    /** The writer schema registered under {@code id}; throws {@link WireFormatException} when there is none. */
    Schema schemaFor(int id);

    /** A registry client for this URL, or the pinned ids when the URL is null or blank. */
    static SchemaRegistry forUrl(String url) {
        return url == null || url.isBlank() ? PinnedSchemaRegistry.instance() : new RestSchemaRegistry(url);
    }

    /** Reads {@value #URL_CONFIG} from Kafka client configs. */
    static SchemaRegistry fromConfigs(Map<String, ?> configs) {
        Object url = configs.get(URL_CONFIG);
        return forUrl(url == null ? null : url.toString());
    }
}
