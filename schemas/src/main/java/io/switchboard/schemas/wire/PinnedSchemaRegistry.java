package io.switchboard.schemas.wire;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

/**
 * The schema ids pinned in this module ({@code history/pinned-ids.properties}), used when no registry is configured.
 * Every version ever published keeps its id and its file, so old records still decode.
 */
public final class PinnedSchemaRegistry implements SchemaRegistry {

    private static final String HISTORY = "/io/switchboard/schemas/history/";
    private static final PinnedSchemaRegistry INSTANCE = load();

    private final Map<Integer, Schema> byId;
    private final Map<Long, Integer> idByFingerprint;

    private PinnedSchemaRegistry(Map<Integer, Schema> byId) {
        this.byId = Map.copyOf(byId);
        Map<Long, Integer> ids = new HashMap<>();
        byId.forEach((id, schema) -> ids.put(SchemaNormalization.parsingFingerprint64(schema), id));
        this.idByFingerprint = Map.copyOf(ids);
    }

    public static PinnedSchemaRegistry instance() {
        return INSTANCE;
    }

    /** Every pinned id with its schema, oldest first per record name when ids grow with time. */
    public Map<Integer, Schema> all() {
        return byId;
    }

    @Override
    public int idFor(String subject, Schema schema) {
        Integer id = idByFingerprint.get(SchemaNormalization.parsingFingerprint64(schema));
        if (id == null) {
            throw new IllegalStateException("schema " + schema.getFullName() + " for subject " + subject
                    + " is not pinned: add its file and a new id to " + HISTORY + "pinned-ids.properties");
        }
        return id;
    }

    @Override
    public Schema schemaFor(int id) {
        Schema schema = byId.get(id);
        if (schema == null) {
            throw new WireFormatException(
                    WireFormatException.Reason.UNKNOWN_SCHEMA_ID, "schema id " + id + " is not pinned in this build");
        }
        return schema;
    }

    private static PinnedSchemaRegistry load() {
        Properties index = new Properties();
        try (InputStream in = resource("pinned-ids.properties")) {
            index.load(in);
            Map<Integer, Schema> byId = new HashMap<>();
            for (String key : index.stringPropertyNames()) {
                try (InputStream schema = resource(index.getProperty(key).trim())) {
                    byId.put(Integer.parseInt(key.trim()), new Schema.Parser().parse(schema));
                }
            }
            return new PinnedSchemaRegistry(byId);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the pinned schema ids", e);
        }
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = PinnedSchemaRegistry.class.getResourceAsStream(HISTORY + name);
        if (in == null) {
            throw new IOException("missing resource " + HISTORY + name);
        }
        return in;
    }
}
