package io.switchboard.testkit.pipeline;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A domain service writing outbox rows at a steady rate, one commit per row, as a service does: each aggregate
 * runs audits of seed 002's shape, twenty {@code audit.progress} events (0 to 95 %) then {@code audit.completed},
 * again and again, so the progress guard works on every row and must drop none. Each row carries its sequence number
 * within the aggregate, so the sink can tell lost, duplicated and reordered deliveries. The event id is chosen here and the
 * insert is idempotent on it, so a row retried after the database went away is written once.
 */
public final class OutboxFeed {

    /** One row written: its aggregate, its sequence in the aggregate, its event id. */
    public record Row(String aggregate, int seq, String eventId) {}

    private final String jdbcUrl;
    private final String table;
    private Connection connection;

    public OutboxFeed(String jdbcUrl, String table) {
        this.jdbcUrl = jdbcUrl;
        this.table = table;
    }

    /**
     * Writes {@code rate} rows a second for {@code duration}, over aggregates named {@code prefix-0…}; returns the
     * rows committed. A failed write is retried until it commits (the database restarting).
     */
    public List<Row> write(String prefix, int aggregates, int rate, Duration duration) throws InterruptedException {
        List<Row> written = new ArrayList<>();
        int[] next = new int[aggregates];
        long start = System.nanoTime();
        long total = rate * duration.toSeconds();
        for (long i = 0; i < total; i++) {
            long due = start + i * 1_000_000_000L / rate;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            int a = (int) (i % aggregates);
            Row row = new Row(prefix + "-" + a, next[a]++, UUID.randomUUID().toString());
            insertUntilCommitted(row);
            written.add(row);
        }
        return written;
    }

    /** One row of any shape (bad rows), committed. */
    public void insertRaw(String type, String aggregate, String payload, String channels, String headers)
            throws InterruptedException {
        execute(c -> {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + table
                    + " (type, source, aggregate_type, aggregate_id, payload, channels, headers)"
                    + " VALUES (?, 'fault-matrix', 'audit', ?, ?::jsonb, ?::jsonb, ?::jsonb)")) {
                insert.setString(1, type);
                insert.setString(2, aggregate);
                insert.setString(3, payload);
                insert.setString(4, channels);
                insert.setString(5, headers);
                insert.executeUpdate();
            }
        });
    }

    /** Rows of a run: twenty progress events, then the run's end. */
    static final int RUN = 21;

    private void insertUntilCommitted(Row row) throws InterruptedException {
        boolean end = row.seq() % RUN == RUN - 1;
        String ids = "\"audit_id\":\"" + row.aggregate() + "\",\"fiche_id\":\"" + row.aggregate() + "-f\",\"seq\":"
                + row.seq();
        String payload = end
                ? "{" + ids + ",\"status\":\"completed\",\"score_percentage\":\"86\"}"
                : "{" + ids + ",\"status\":\"in_progress\",\"progress_percentage\":" + (row.seq() % RUN) * 5 + "}";
        execute(c -> {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + table
                    + " (event_id, type, source, aggregate_type, aggregate_id, payload)"
                    + " VALUES (?::uuid, ?, 'fault-matrix', 'audit', ?, ?::jsonb)"
                    + " ON CONFLICT (event_id) DO NOTHING")) {
                insert.setString(1, row.eventId());
                insert.setString(2, end ? "audit.completed" : "audit.progress");
                insert.setString(3, row.aggregate());
                insert.setString(4, payload);
                insert.executeUpdate();
            }
        });
    }

    private interface Work {
        void run(Connection connection) throws SQLException;
    }

    private void execute(Work work) throws InterruptedException {
        while (true) {
            try {
                if (connection == null || connection.isClosed()) {
                    connection = DriverManager.getConnection(jdbcUrl);
                    connection.setAutoCommit(true);
                }
                work.run(connection);
                return;
            } catch (SQLException e) {
                close();
                Thread.sleep(200); // the database is restarting
            }
        }
    }

    public void close() {
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (SQLException e) {
            // already gone
        }
        connection = null;
    }
}
