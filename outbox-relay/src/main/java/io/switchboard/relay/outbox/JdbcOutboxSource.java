package io.switchboard.relay.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The outbox table over JDBC (Postgres, MySQL, MariaDB; JSON columns are read as text).
 *
 * <p>Ids are handed out when a row is inserted, not when it commits, so a row can commit after rows with higher ids.
 * A reader that took the committed rows in id order would move past such a row and publish it later, after its
 * aggregate's next events (seen under concurrent writers). Each database therefore returns only rows whose place is
 * final:
 *
 * <ul>
 *   <li>Postgres: each row records its inserting transaction's id ({@code xid}, a column default), and rows are read
 *       in (xid, id) order, only below the oldest transaction still running ({@code pg_snapshot_xmin}): every
 *       transaction below that has committed or rolled back, so no row can still appear before the ones returned.
 *       The cost: a long writing transaction anywhere in the database holds the relay back until it ends.
 *   <li>MySQL and MariaDB: rows are read in id order with a locking read, which waits for a row inserted by a
 *       transaction still open instead of passing it. It waits {@value #LOCK_WAIT_SECONDS} s at most, then returns
 *       nothing and is asked again.
 * </ul>
 */
public final class JdbcOutboxSource implements OutboxSource {

    /** How long a MySQL or MariaDB read waits for an open transaction's row before returning nothing. */
    static final int LOCK_WAIT_SECONDS = 1;

    private static final int MYSQL_LOCK_WAIT_TIMEOUT = 1205;

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;
    private final OutboxDialect dialect;
    private final String select;
    private final String delete;

    public JdbcOutboxSource(JdbcTemplate jdbc, OutboxTable table, OutboxDialect dialect) {
        this.jdbc = jdbc;
        this.named = new NamedParameterJdbcTemplate(jdbc);
        this.dialect = dialect;
        String columns = "SELECT id, event_id, type, source, aggregate_type, aggregate_id, "
                + dialect.readJson("payload") + ", " + dialect.readJson("channels") + ", socket_id, "
                + dialect.readJson("headers") + ", created_at, traceparent";
        this.select = dialect == OutboxDialect.POSTGRES
                ? columns + ", xid::text AS xid, xid >= pg_snapshot_xmin(pg_current_snapshot()) AS held FROM " + table
                        + " WHERE (xid, id) > (CAST(? AS xid8), ?) ORDER BY xid, id LIMIT ?"
                : columns + ", 0 AS xid FROM " + table + " WHERE id > ? ORDER BY id LIMIT ? LOCK IN SHARE MODE";
        this.delete = "DELETE FROM " + table + " WHERE id IN (:ids)";
    }

    private volatile boolean heldBack;

    @Override
    public List<OutboxRow> fetch(Position after, int limit) {
        heldBack = false;
        if (dialect == OutboxDialect.POSTGRES) {
            // held rows sort after every final one (their xid is at or above the horizon): keep those before them
            List<OutboxRow> rows = new ArrayList<>();
            jdbc.query(
                    select,
                    rs -> {
                        if (heldBack || rs.getBoolean("held")) {
                            heldBack = true;
                        } else {
                            rows.add(row(rs, rows.size()));
                        }
                    },
                    Long.toString(after.xid()),
                    after.id(),
                    limit);
            return rows;
        }
        return jdbc.execute((Connection connection) -> lockingRead(connection, after, limit));
    }

    @Override
    public boolean heldBack() {
        return heldBack;
    }

    /**
     * The MySQL and MariaDB read: a short lock wait for this statement only (the session is the replica lock's, and
     * its deletes keep the server's wait), and a timeout read as "nothing final yet".
     */
    private List<OutboxRow> lockingRead(Connection connection, Position after, int limit) throws SQLException {
        try (Statement session = connection.createStatement()) {
            session.execute("SET SESSION innodb_lock_wait_timeout = " + LOCK_WAIT_SECONDS);
            try (PreparedStatement read = connection.prepareStatement(select)) {
                read.setLong(1, after.id());
                read.setInt(2, limit);
                List<OutboxRow> rows = new ArrayList<>();
                try (ResultSet rs = read.executeQuery()) {
                    while (rs.next()) {
                        rows.add(row(rs, rows.size()));
                    }
                }
                return rows;
            } catch (SQLException e) {
                if (e.getErrorCode() == MYSQL_LOCK_WAIT_TIMEOUT) {
                    heldBack = true; // a writer's transaction is still open below the rows behind it
                    return List.of();
                }
                throw e;
            } finally {
                session.execute("SET SESSION innodb_lock_wait_timeout = DEFAULT");
            }
        }
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
                Long.parseLong(rs.getString("xid")),
                rs.getString("traceparent"));
    }
}
