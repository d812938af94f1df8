package io.switchboard.relay.outbox;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small helper for Java services: inserts one outbox row through the caller's {@link JdbcTemplate}, so it joins
 * the caller's transaction (call it inside the {@code @Transactional} method that makes the domain change).
 */
public final class OutboxWriter {

    /** An event to write; {@code payloadJson} must be a JSON object. Nullable: everything but type and payload. */
    public record OutboxMessage(
            String type,
            String aggregateType,
            String aggregateId,
            String payloadJson,
            List<String> channels,
            String socketId,
            Map<String, String> headers,
            String source) {

        public static OutboxMessage of(String type, String aggregateType, String aggregateId, String payloadJson) {
            return new OutboxMessage(type, aggregateType, aggregateId, payloadJson, null, null, null, null);
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcTemplate jdbc;
    private final String insert;

    public OutboxWriter(JdbcTemplate jdbc, OutboxTable table, OutboxDialect dialect) {
        this.jdbc = jdbc;
        String json = dialect.writeJson();
        this.insert = "INSERT INTO " + table + " (event_id, type, source, aggregate_type, aggregate_id, payload,"
                + " channels, socket_id, headers) VALUES (" + dialect.writeUuid() + ", ?, ?, ?, ?, " + json + ", "
                + json + ", ?, " + json + ")";
    }

    /** Inserts the row and returns its event id. */
    public UUID write(OutboxMessage message) {
        UUID eventId = UUID.randomUUID();
        jdbc.update(
                insert,
                eventId.toString(),
                message.type(),
                message.source(),
                message.aggregateType(),
                message.aggregateId(),
                message.payloadJson(),
                message.channels() == null ? null : JSON.writeValueAsString(message.channels()),
                message.socketId(),
                message.headers() == null ? null : JSON.writeValueAsString(message.headers()));
        return eventId;
    }
}
