package io.switchboard.testkit.pipeline;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
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

    /**
     * One row written: its aggregate, its sequence in the aggregate, its event id, and when its commit returned
     * (epoch millis; 0 for a row not written through the outbox).
     */
    public record Row(String aggregate, int seq, String eventId, long committedAtMillis) {

        public Row(String aggregate, int seq, String eventId) {
            this(aggregate, seq, eventId, 0);
        }

        Row committedNow() {
            return new Row(aggregate, seq, eventId, System.currentTimeMillis());
        }
    }

    private final String jdbcUrl;
    private final String table;
    private final String insertSql;
    private Connection connection;

    public OutboxFeed(String jdbcUrl, String table) {
        this.jdbcUrl = jdbcUrl;
        this.table = table;
        this.insertSql = "INSERT INTO " + table + INSERT_COLUMNS;
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
            written.add(row.committedNow());
        }
        return written;
    }

    /**
     * As {@link #write}, from {@code writers} connections at once (one commit per row still): writer {@code w} owns
     * the aggregates {@code a} with {@code a % writers == w}, so each aggregate's rows are written in order by one
     * writer, and writes {@code rate / writers} of the rows a second. One connection commits a few thousand rows a
     * second at most; the scale-out harness needs more.
     */
    public List<Row> write(String prefix, int aggregates, int rate, Duration duration, int writers)
            throws InterruptedException {
        if (writers <= 1) {
            return write(prefix, aggregates, rate, duration);
        }
        List<Row> all = Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        Throwable[] failure = new Throwable[1];
        for (int w = 0; w < writers; w++) {
            int writer = w;
            Thread thread = new Thread(
                    () -> {
                        OutboxFeed own = new OutboxFeed(jdbcUrl, table);
                        try {
                            all.addAll(own.writeShare(prefix, aggregates, rate, duration, writer, writers));
                        } catch (Throwable e) {
                            failure[0] = e;
                        } finally {
                            own.close();
                        }
                    },
                    "outbox-writer-" + w);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        if (failure[0] != null) {
            throw new IllegalStateException("an outbox writer failed", failure[0]);
        }
        return List.copyOf(all);
    }

    private List<Row> writeShare(String prefix, int aggregates, int rate, Duration duration, int writer, int writers)
            throws InterruptedException {
        List<Row> written = new ArrayList<>();
        List<Integer> mine = new ArrayList<>();
        for (int a = writer; a < aggregates; a += writers) {
            mine.add(a);
        }
        int[] next = new int[aggregates];
        double share = (double) rate * mine.size() / aggregates;
        long total = Math.round(share * duration.toSeconds());
        long start = System.nanoTime();
        for (long i = 0; i < total; i++) {
            long due = start + (long) (i * 1e9 / share);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            int a = mine.get((int) (i % mine.size()));
            Row row = new Row(prefix + "-" + a, next[a]++, UUID.randomUUID().toString());
            insertUntilCommitted(row);
            written.add(row.committedNow());
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

    private static final String INSERT_COLUMNS = " (event_id, type, source, aggregate_type, aggregate_id, payload)"
            + " VALUES (?::uuid, ?, 'fault-matrix', 'audit', ?, ?::jsonb) ON CONFLICT (event_id) DO NOTHING";

    private void insertUntilCommitted(Row row) throws InterruptedException {
        execute(c -> {
            try (PreparedStatement insert = c.prepareStatement(insertSql)) {
                bind(insert, row);
                insert.executeUpdate();
            }
        });
    }

    private static void bind(PreparedStatement insert, Row row) throws SQLException {
        insert.setString(1, row.eventId());
        insert.setString(2, typeOf(row));
        insert.setString(3, row.aggregate());
        insert.setString(4, payloadOf(row));
    }

    /** The row's event type: a run's twenty progress events, then its end. */
    public static String typeOf(Row row) {
        return row.seq() % RUN == RUN - 1 ? "audit.completed" : "audit.progress";
    }

    /** The row's payload, seed 002's audit shape with the row's sequence number. */
    public static String payloadOf(Row row) {
        boolean end = row.seq() % RUN == RUN - 1;
        String ids = "\"audit_id\":\"" + row.aggregate() + "\",\"fiche_id\":\"" + row.aggregate() + "-f\",\"seq\":"
                + row.seq();
        return end
                ? "{" + ids + ",\"status\":\"completed\",\"score_percentage\":\"86\"}"
                : "{" + ids + ",\"status\":\"in_progress\",\"progress_percentage\":" + (row.seq() % RUN) * 5 + "}";
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
