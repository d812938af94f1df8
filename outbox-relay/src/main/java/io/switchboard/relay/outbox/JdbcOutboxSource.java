package io.switchboard.relay.outbox;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The outbox table over JDBC (Postgres, MySQL, MariaDB; JSON columns are read as text).
 *
 * <p>A read is two statements: the ids of the oldest rows (an index-only scan of the primary key, enough of them to
 * cover the rows in flight), then the rows wanted among them. So the rows in flight, which stay in the table until
 * Kafka acknowledged them, are never transferred again.
 */
public final class JdbcOutboxSource implements OutboxSource {

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;
    private final String oldestIds;
    private final String select;
    private final String delete;

    public JdbcOutboxSource(JdbcTemplate jdbc, OutboxTable table, OutboxDialect dialect) {
        this.jdbc = jdbc;
        this.named = new NamedParameterJdbcTemplate(jdbc);
        this.oldestIds = "SELECT id FROM " + table + " ORDER BY id LIMIT ?";
        this.select = "SELECT id, event_id, type, source, aggregate_type, aggregate_id, " + dialect.readJson("payload")
                + ", " + dialect.readJson("channels") + ", socket_id, " + dialect.readJson("headers")
                + ", created_at, traceparent FROM " + table + " WHERE id IN (:ids) ORDER BY id";
        this.delete = "DELETE FROM " + table + " WHERE id IN (:ids)";
    }

    @Override
    public List<OutboxRow> fetch(Set<Long> skip, int limit) {
        List<Long> ids = new ArrayList<>(limit);
        for (long id : jdbc.queryForList(oldestIds, Long.class, limit + skip.size())) {
            if (!skip.contains(id)) {
                ids.add(id);
                if (ids.size() == limit) {
                    break;
                }
            }
        }
        if (ids.isEmpty()) {
            return List.of();
        }
        // a row deleted in between (by nobody but this relay) is simply not returned
        return named.query(select, new MapSqlParameterSource("ids", ids), JdbcOutboxSource::row);
    }

    @Override
    public void delete(List<Long> ids) {
        if (!ids.isEmpty()) {
            named.update(delete, new MapSqlParameterSource("ids", ids));
        }
    }

    private static OutboxRow row(ResultSet rs, int n) throws SQLException {
        return new OutboxRow(
                rs.getLong("id"),
                rs.getString("event_id"),
                rs.getString("type"),
                rs.getString("source"),
                rs.getString("aggregate_type"),
                rs.getString("aggregate_id"),
                rs.getString("payload"),
                rs.getString("channels"),
                rs.getString("socket_id"),
                rs.getString("headers"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getString("traceparent"));
    }
}
