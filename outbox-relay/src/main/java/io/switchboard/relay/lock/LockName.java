package io.switchboard.relay.lock;

import io.switchboard.relay.outbox.OutboxDialect;
import io.switchboard.relay.outbox.OutboxTable;
import io.switchboard.relay.outbox.Secrets;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * The replica lock's name, scoped to the table it guards: {@code switchboard-outbox:<database>.<schema>.<table>} on
 * Postgres, {@code switchboard-outbox:<database>.<table>} on MySQL and MariaDB. MySQL's {@code GET_LOCK} is
 * server-wide, so a name without the database made the relays of two databases on one server wait for each other.
 * MySQL refuses names over 64 characters: longer ones keep a readable prefix and end in a hash of the whole.
 */
public final class LockName {

    static final String PREFIX = "switchboard-outbox:";
    static final int MAX_LENGTH = 64;

    private LockName() {}

    /** The name for a table in this scope (nulls and blanks left out). */
    public static String of(String... scope) {
        String name = PREFIX
                + Stream.of(scope)
                        .filter(Objects::nonNull)
                        .filter(s -> !s.isBlank())
                        .collect(Collectors.joining("."));
        if (name.length() <= MAX_LENGTH) {
            return name;
        }
        String hash = HexFormat.of().formatHex(sha256(name)).substring(0, 16);
        return name.substring(0, MAX_LENGTH - hash.length() - 1) + "~" + hash;
    }

    /** Asks the database what an unqualified name resolves to, and names the lock of this table. */
    public static String resolve(DataSource dataSource, OutboxDialect dialect, OutboxTable table) {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(dialect.scopeSql())) {
            rs.next();
            String database = rs.getString(1);
            String schema = rs.getString(2);
            if (dialect == OutboxDialect.POSTGRES) {
                return of(database, table.schema() != null ? table.schema() : schema, table.name());
            }
            return of(table.schema() != null ? table.schema() : database, table.name());
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot ask the outbox database for its name: " + Secrets.redact(e.getMessage()),
                    Secrets.redacted(e));
        }
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
