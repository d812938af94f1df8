package io.switchboard.relay.outbox;

import java.util.regex.Pattern;

/**
 * A validated outbox table name: a plain identifier, optionally qualified by its schema (Postgres) or database
 * (MySQL, MariaDB). It is spliced into SQL, so nothing else is accepted.
 *
 * @param schema the schema or database it was qualified with, or null for the connection's own
 * @param name the table's own name; it also names the constraint, the trigger and the NOTIFY channel
 */
public record OutboxTable(String schema, String name) {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public OutboxTable {
        if (schema != null && !IDENTIFIER.matcher(schema).matches()
                || name == null
                || !IDENTIFIER.matcher(name).matches()) {
            throw invalid(schema == null ? name : schema + "." + name);
        }
    }

    /** Parses {@code table} or {@code schema.table}. */
    public OutboxTable(String qualified) {
        this(schemaOf(qualified), nameOf(qualified));
    }

    private static String schemaOf(String qualified) {
        if (qualified == null) {
            throw invalid(null);
        }
        int dot = qualified.indexOf('.');
        return dot < 0 ? null : qualified.substring(0, dot);
    }

    private static String nameOf(String qualified) {
        int dot = qualified.indexOf('.');
        return dot < 0 ? qualified : qualified.substring(dot + 1);
    }

    private static IllegalArgumentException invalid(String value) {
        return new IllegalArgumentException(
                "switchboard.outbox.table (SWITCHBOARD_OUTBOX_TABLE) must be a plain SQL identifier (letters, digits, _),"
                        + " optionally schema.table, not '" + value + "'");
    }

    /** The name as SQL uses it: {@code schema.table} or {@code table}. */
    public String qualifiedName() {
        return schema == null ? name : schema + "." + name;
    }

    @Override
    public String toString() {
        return qualifiedName();
    }
}
