package io.switchboard.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A fresh Postgres schema on the machine's real server, dropped on close, so integration tests never see each
 * other's rows. The server comes from {@code SWITCHBOARD_TEST_POSTGRES} (a JDBC URL), default
 * {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}.
 */
public final class TestDatabase implements AutoCloseable {

    private final String serverUrl;
    private final String schema;

    private TestDatabase(String serverUrl, String schema) {
        this.serverUrl = serverUrl;
        this.schema = schema;
    }

    public static TestDatabase postgres() {
        String url = System.getenv()
                .getOrDefault("SWITCHBOARD_TEST_POSTGRES", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
        String schema = "it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        TestDatabase db = new TestDatabase(url, schema);
        db.execute("CREATE SCHEMA " + schema);
        return db;
    }

    /** A JDBC URL whose connections work in this schema. */
    public String jdbcUrl() {
        return serverUrl + (serverUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    public String schema() {
        return schema;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl());
    }

    public void execute(String sql) {
        try (Connection c = DriverManager.getConnection(serverUrl);
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot run SQL on " + serverUrl.replaceAll("password=[^&]*", "password=***") + ": "
                            + e.getMessage(),
                    e);
        }
    }

    @Override
    public void close() {
        execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
}
