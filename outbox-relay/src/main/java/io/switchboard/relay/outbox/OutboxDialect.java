package io.switchboard.relay.outbox;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import javax.sql.DataSource;

/** What differs between the outbox databases: how JSON columns are read and written, and how the lock is taken. */
public enum OutboxDialect {
    POSTGRES {
        @Override
        String readJson(String column) {
            return column + "::text AS " + column;
        }

        @Override
        String writeJson() {
            return "CAST(? AS jsonb)";
        }

        @Override
        String writeUuid() {
            return "CAST(? AS uuid)";
        }

        @Override
        public String tryLockSql() {
            return "SELECT pg_try_advisory_lock(hashtextextended(?, 0))";
        }

        @Override
        public String unlockAllSql() {
            return "SELECT pg_advisory_unlock_all()";
        }

        @Override
        public String sessionIdSql() {
            return "SELECT pg_backend_pid()";
        }

        @Override
        public Optional<String> lockSessionKeepaliveSql() {
            return Optional.of("SELECT set_config('tcp_keepalives_idle', '" + LOCK_KEEPALIVE_IDLE.toSeconds()
                    + "', false), set_config('tcp_keepalives_interval', '" + LOCK_KEEPALIVE_INTERVAL.toSeconds()
                    + "', false), set_config('tcp_keepalives_count', '" + LOCK_KEEPALIVE_COUNT + "', false)");
        }

        @Override
        public String scopeSql() {
            return "SELECT current_database(), current_schema()";
        }
    },
    /** MySQL 8 and MariaDB: JSON columns read and written as text. */
    MYSQL {
        @Override
        String readJson(String column) {
            return column;
        }

        @Override
        String writeJson() {
            return "?";
        }

        @Override
        String writeUuid() {
            return "?";
        }

        @Override
        public String tryLockSql() {
            return "SELECT GET_LOCK(?, 0)";
        }

        @Override
        public String unlockAllSql() {
            return "SELECT RELEASE_ALL_LOCKS()";
        }

        @Override
        public String sessionIdSql() {
            return "SELECT CONNECTION_ID()";
        }

        @Override
        public Optional<String> lockSessionKeepaliveSql() {
            return Optional.empty(); // the server's keepalive is global there (docs/outbox.md says what to set)
        }

        @Override
        public String scopeSql() {
            return "SELECT DATABASE(), NULL";
        }
    };

    /**
     * The server's TCP keepalive on the lock's session, where a session may set it (Postgres): once the relay's host
     * stops answering (a network cut, a host gone), the server drops the session, and the lock with it, after about
     * idle + interval × count (25 s) instead of the operating system's default (over two hours on Linux).
     */
    public static final Duration LOCK_KEEPALIVE_IDLE = Duration.ofSeconds(10);

    public static final Duration LOCK_KEEPALIVE_INTERVAL = Duration.ofSeconds(5);
    public static final int LOCK_KEEPALIVE_COUNT = 3;

    abstract String readJson(String column);

    abstract String writeJson();

    abstract String writeUuid();

    /** A query taking the lock's name, answering 1 or true when this session now holds it, at once either way. */
    public abstract String tryLockSql();

    /** Releases every lock this session holds. */
    public abstract String unlockAllSql();

    /** The id of this session, as the server's admin commands name it (pg_terminate_backend, KILL). */
    public abstract String sessionIdSql();

    /**
     * A query that makes the database probe this session's client with TCP keepalives ({@link #LOCK_KEEPALIVE_IDLE}
     * and the rest), or empty where a session cannot choose (MySQL, MariaDB: server-wide settings).
     */
    public abstract Optional<String> lockSessionKeepaliveSql();

    /**
     * The connection's database and schema (null on MySQL and MariaDB, where a database is the schema): what an
     * unqualified table name resolves to, so the replica lock can be scoped to the table it guards.
     */
    public abstract String scopeSql();

    public static OutboxDialect of(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            String product = connection.getMetaData().getDatabaseProductName().toLowerCase();
            if (product.contains("postgres")) {
                return POSTGRES;
            }
            if (product.contains("mysql") || product.contains("mariadb")) {
                return MYSQL;
            }
            throw new IllegalStateException(
                    "the outbox database is " + product + "; Postgres, MySQL and MariaDB are supported");
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot reach the outbox database: " + Secrets.redact(e.getMessage()), Secrets.redacted(e));
        }
    }
}
