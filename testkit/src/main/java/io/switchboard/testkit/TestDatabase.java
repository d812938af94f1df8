package io.switchboard.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A fresh schema (Postgres) or database (MariaDB/MySQL) on the machine's real server, dropped on close, so
 * integration tests never see each other's rows. Servers: {@code SWITCHBOARD_TEST_POSTGRES} (default
 * {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}) and {@code SWITCHBOARD_TEST_MARIADB} (default
 * {@code jdbc:mariadb://127.0.0.1:3306/?user=root}).
 */
public final class TestDatabase implements AutoCloseable {

    public enum Kind {
        POSTGRES,
        MARIADB
    }

    private final Kind kind;
    private final String serverUrl;
    private final String name;

    private TestDatabase(Kind kind, String serverUrl, String name) {
        this.kind = kind;
        this.serverUrl = serverUrl;
        this.name = name;
    }

    public static TestDatabase postgres() {
        return create(Kind.POSTGRES);
    }

    public static TestDatabase mariadb() {
        return create(Kind.MARIADB);
    }

    public static TestDatabase create(Kind kind) {
        String url = kind == Kind.POSTGRES
                ? System.getenv()
                        .getOrDefault(
                                "SWITCHBOARD_TEST_POSTGRES", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres")
                : System.getenv().getOrDefault("SWITCHBOARD_TEST_MARIADB", "jdbc:mariadb://127.0.0.1:3306/?user=root");
        String name = "it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        TestDatabase db = new TestDatabase(kind, url, name);
        db.execute(kind == Kind.POSTGRES ? "CREATE SCHEMA " + name : "CREATE DATABASE " + name);
        return db;
    }

    public Kind kind() {
        return kind;
    }

    /** A JDBC URL whose connections work in this schema or database. */
    public String jdbcUrl() {
        if (kind == Kind.POSTGRES) {
            return serverUrl + (serverUrl.contains("?") ? "&" : "?") + "currentSchema=" + name;
        }
        int query = serverUrl.indexOf('?');
        String base = query < 0 ? serverUrl : serverUrl.substring(0, query);
        String params = query < 0 ? "" : serverUrl.substring(query);
        return base.substring(0, base.lastIndexOf('/') + 1) + name + params;
    }

    public String name() {
        return name;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl());
    }

    /** The number of rows in {@code table} of this schema or database. */
    public long rowCount(String table) {
        try (Connection c = connect();
                Statement s = c.createStatement();
                java.sql.ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count the rows of " + table + ": " + e.getMessage(), e);
        }
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
        execute(
                kind == Kind.POSTGRES
                        ? "DROP SCHEMA IF EXISTS " + name + " CASCADE"
                        : "DROP DATABASE IF EXISTS " + name);
    }
}
