package io.switchboard.relay.outbox;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/** The outbox table over JDBC (Postgres, MySQL, MariaDB; JSON columns are read as text). */
public final class JdbcOutboxSource implements OutboxSource {

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;
    private final String select;
    private final String delete;

    public JdbcOutboxSource(JdbcTemplate jdbc, OutboxTable table, OutboxDialect dialect) {
        this.jdbc = jdbc;
        this.named = new NamedParameterJdbcTemplate(jdbc);
        this.select = "SELECT id, event_id, type, source, aggregate_type, aggregate_id, " + dialect.readJson("payload")
                + ", " + dialect.readJson("channels") + ", socket_id, " + dialect.readJson("headers")
                + ", created_at FROM "
                + table + " WHERE id > ? ORDER BY id LIMIT ?";
        this.delete = "DELETE FROM " + table + " WHERE id IN (:ids)";
    }

    @Override
    public List<OutboxRow> fetch(long afterId, int limit) {
        return jdbc.query(select, JdbcOutboxSource::row, afterId, limit);
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
                rs.getTimestamp("created_at").toInstant());
    }
}
