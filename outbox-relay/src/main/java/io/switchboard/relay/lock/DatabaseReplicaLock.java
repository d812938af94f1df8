package io.switchboard.relay.lock;

import io.switchboard.relay.outbox.OutboxDialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lock as a database session lock: {@code pg_try_advisory_lock} on Postgres, {@code GET_LOCK} on MySQL and
 * MariaDB, held on a connection of its own. When the active replica dies its session ends, the database releases
 * the lock, and a standby's next try takes it. The holder re-checks its connection every {@code recheck}.
 */
public final class DatabaseReplicaLock implements ReplicaLock {

    private static final Logger log = LoggerFactory.getLogger(DatabaseReplicaLock.class);

    private final DataSource dataSource;
    private final OutboxDialect dialect;
    private final String name;
    private final Clock clock;
    private final Duration recheck;
    private Connection connection;
    private Instant checkedAt = Instant.MIN;

    public DatabaseReplicaLock(
            DataSource dataSource, OutboxDialect dialect, String name, Clock clock, Duration recheck) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.name = name;
        this.clock = clock;
        this.recheck = recheck;
    }

    @Override
    public synchronized boolean tryHold() {
        if (connection != null) {
            if (Duration.between(checkedAt, clock.instant()).compareTo(recheck) < 0) {
                return true;
            }
            if (alive()) {
                checkedAt = clock.instant();
                return true;
            }
            log.warn("outbox relay lost its lock connection: this replica is no longer the active one");
            close();
        }
        Connection candidate = null;
        try {
            candidate = dataSource.getConnection();
            candidate.setAutoCommit(true);
            try (PreparedStatement lock = candidate.prepareStatement(dialect.tryLockSql())) {
                lock.setString(1, name);
                try (ResultSet rs = lock.executeQuery()) {
                    if (rs.next() && rs.getBoolean(1)) {
                        connection = candidate;
                        checkedAt = clock.instant();
                        log.info("outbox relay holds the lock '{}': this replica is the active one", name);
                        return true;
                    }
                }
            }
            candidate.close();
            return false;
        } catch (SQLException e) {
            closeQuietly(candidate);
            log.debug("cannot take the outbox relay lock: {}", e.getMessage());
            return false;
        }
    }

    private boolean alive() {
        try {
            return connection.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            // the connection goes back to a pool, where its session lives on: release the lock explicitly
            try (var unlock = connection.createStatement()) {
                unlock.execute(dialect.unlockAllSql());
            } catch (SQLException ignored) {
                // a broken connection: the database ends the session, and the lock with it
            }
        }
        closeQuietly(connection);
        connection = null;
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // the session is gone either way
            }
        }
    }
}
