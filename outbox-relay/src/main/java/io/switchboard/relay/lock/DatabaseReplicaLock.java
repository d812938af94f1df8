package io.switchboard.relay.lock;

import io.switchboard.relay.outbox.OutboxDialect;
import io.switchboard.relay.outbox.Secrets;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.datasource.AbstractDataSource;

/**
 * The lock as a database session lock: {@code pg_try_advisory_lock} on Postgres, {@code GET_LOCK} on MySQL and
 * MariaDB, held on a connection of its own. When the active replica dies its session ends, the database releases
 * the lock, and a standby's next try takes it.
 *
 * <p>The lock fences the work: {@link #fencedDataSource()} hands out the lock's own connection, so the relay reads
 * and deletes outbox rows in the session that holds the lock. Once that session is gone (killed, or the network cut)
 * no read or delete of this replica can succeed, whatever this replica still believes, so two replicas never read
 * and delete at once. Batches read before the session ended may still be sent (every batch in flight, up to
 * {@code max-in-flight}), and the next holder publishes them again (at least once).
 *
 * <p>A holder whose host vanished (a network cut, not a killed process) keeps the lock until the database notices
 * that its session is dead. On Postgres each try first asks the server to probe this session with TCP keepalives
 * ({@link OutboxDialect#lockSessionKeepaliveSql()}), so that takes about 25 s; on MySQL and MariaDB it takes what
 * the server's settings say (docs/outbox.md).
 */
public final class DatabaseReplicaLock implements ReplicaLock {

    private static final Logger log = LoggerFactory.getLogger(DatabaseReplicaLock.class);

    private final DataSource dataSource;
    private final OutboxDialect dialect;
    private final String name;
    private final Clock clock;
    private final Duration recheck;
    private final DataSource fenced = new Fenced();
    private volatile Connection connection;
    private volatile String session;
    private Instant checkedAt = Instant.MIN;
    private boolean verifyNext;

    public DatabaseReplicaLock(
            DataSource dataSource, OutboxDialect dialect, String name, Clock clock, Duration recheck) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.name = name;
        this.clock = clock;
        this.recheck = recheck;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String session() {
        return session;
    }

    /** Connections of the session that holds the lock; refused while this replica does not hold it. */
    public DataSource fencedDataSource() {
        return fenced;
    }

    @Override
    public synchronized void verifyNext() {
        verifyNext = true;
    }

    @Override
    public synchronized boolean tryHold() {
        if (connection != null) {
            if (stillHeld()) {
                return true;
            }
            log.warn("outbox relay lost its lock session {}: this replica is no longer the active one", session);
            close();
            return false; // a standby now: it tries again after standby-retry, like the others
        }
        Connection candidate = null;
        try {
            candidate = dataSource.getConnection();
            candidate.setAutoCommit(true);
            // the server probes this session's client: a holder whose host vanished loses the lock in about 25 s
            Optional<String> keepalive = dialect.lockSessionKeepaliveSql();
            if (keepalive.isPresent()) {
                try (Statement s = candidate.createStatement()) {
                    s.execute(keepalive.get());
                }
            }
            try (PreparedStatement lock = candidate.prepareStatement(dialect.tryLockSql())) {
                lock.setString(1, name);
                try (ResultSet rs = lock.executeQuery()) {
                    if (rs.next() && rs.getBoolean(1)) {
                        session = sessionId(candidate);
                        connection = candidate;
                        checkedAt = clock.instant();
                        verifyNext = false;
                        log.info(
                                "outbox relay holds the lock '{}' (session {}): this replica is the active one",
                                name,
                                session);
                        return true;
                    }
                }
            }
            candidate.close();
            return false;
        } catch (SQLException e) {
            release(candidate); // the lock may have been taken before the failure
            throw new IllegalStateException(
                    "cannot ask for the outbox lock '" + name + "': " + Secrets.redact(e.getMessage()),
                    Secrets.redacted(e));
        }
    }

    private boolean stillHeld() {
        try {
            if (connection.isClosed()) {
                return false;
            }
            if (!verifyNext && Duration.between(checkedAt, clock.instant()).compareTo(recheck) < 0) {
                return true;
            }
            boolean alive = connection.isValid(2);
            checkedAt = clock.instant();
            verifyNext = false;
            return alive;
        } catch (SQLException e) {
            return false;
        }
    }

    private String sessionId(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(dialect.sessionIdSql())) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    @Override
    public synchronized void close() {
        Connection held = connection;
        connection = null;
        session = null;
        release(held);
    }

    /** Lets go of any lock of the session and closes the connection (which goes back to a pool, session alive). */
    private void release(Connection c) {
        if (c != null) {
            try (Statement unlock = c.createStatement()) {
                unlock.execute(dialect.unlockAllSql());
            } catch (SQLException ignored) {
                // a broken connection: the database ends the session, and the lock with it
            }
        }
        closeQuietly(c);
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

    /** The lock's connection, lent out: closing it only ends the loan. */
    private final class Fenced extends AbstractDataSource {
        @Override
        public Connection getConnection() throws SQLException {
            Connection held = connection;
            if (held == null) {
                throw new SQLException("this outbox relay does not hold the lock '" + name + "'");
            }
            return (Connection) Proxy.newProxyInstance(
                    Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                        switch (method.getName()) {
                            case "close":
                                return null;
                            case "isClosed":
                                return held.isClosed();
                            case "equals":
                                return proxy == args[0];
                            case "hashCode":
                                return System.identityHashCode(proxy);
                            default:
                                try {
                                    return method.invoke(held, args);
                                } catch (InvocationTargetException e) {
                                    throw e.getTargetException();
                                }
                        }
                    });
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return getConnection();
        }
    }
}
