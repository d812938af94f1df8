package io.switchboard.relay.outbox;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Postgres LISTEN/NOTIFY: the outbox's insert trigger notifies the channel named after the table at commit, and
 * while this waker listens it returns as soon as a notification arrives. The relay listens only while the outbox is
 * drained: while rows keep coming it stops listening and polls at the short interval, because a listener makes every
 * notifying commit wake it (one wake-up per row), and on this machine that alone tripled the commit-to-Kafka p99
 * (docs/benchmarks.md). If its connection fails it polls until it can listen again, so notifications only ever
 * shorten the wait.
 */
public final class PostgresNotifyWaker implements Waker {

    private static final Logger log = LoggerFactory.getLogger(PostgresNotifyWaker.class);

    private static final long SLICE_MILLIS = 200;

    private final DataSource dataSource;
    private final String channel;
    private final Waker fallback = Waker.polling();
    private Connection connection;
    private boolean listening;

    public PostgresNotifyWaker(DataSource dataSource, String channel) {
        this.dataSource = dataSource;
        this.channel = channel;
    }

    @Override
    public boolean notifies() {
        return true;
    }

    @Override
    public boolean listen() {
        if (listening) {
            return false;
        }
        try {
            if (connection == null) {
                connection = dataSource.getConnection();
                connection.setAutoCommit(true);
            }
            try (Statement listen = connection.createStatement()) {
                listen.execute("LISTEN \"" + channel + "\"");
            }
            listening = true;
        } catch (SQLException e) {
            log.debug("LISTEN failed, polling until it works: {}", e.getMessage());
            close();
        }
        return true;
    }

    @Override
    public void stopListening() {
        if (!listening) {
            return;
        }
        listening = false;
        try (Statement unlisten = connection.createStatement()) {
            unlisten.execute("UNLISTEN *");
            connection.unwrap(PGConnection.class).getNotifications(); // drop what came meanwhile
        } catch (SQLException e) {
            close();
        }
    }

    @Override
    public void await(Duration max) throws InterruptedException {
        if (!listening) {
            fallback.await(max);
            return;
        }
        try {
            // in slices, so an interrupt (a stop) ends the wait soon: the driver does not see interrupts
            long deadline = System.nanoTime() + max.toNanos();
            long left;
            while ((left = deadline - System.nanoTime()) > 0) {
                int slice = (int) Math.max(1, Math.min(SLICE_MILLIS, left / 1_000_000));
                PGNotification[] notifications =
                        connection.unwrap(PGConnection.class).getNotifications(slice);
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                if (notifications != null && notifications.length > 0) {
                    return;
                }
            }
        } catch (SQLException e) {
            log.debug("LISTEN connection failed, polling until it is back: {}", e.getMessage());
            close();
            fallback.await(max);
        }
    }

    @Override
    public void close() {
        listening = false;
        if (connection != null) {
            try (Statement unlisten = connection.createStatement()) {
                unlisten.execute("UNLISTEN *");
            } catch (SQLException ignored) {
                // closing anyway
            }
            try {
                connection.close();
            } catch (SQLException ignored) {
                // gone
            }
            connection = null;
        }
    }
}
