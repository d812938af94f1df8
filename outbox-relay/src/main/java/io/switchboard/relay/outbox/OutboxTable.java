package io.switchboard.relay.outbox;

import java.util.regex.Pattern;

/** A validated outbox table name (it is spliced into SQL, so only plain identifiers, optionally schema-qualified). */
public record OutboxTable(String name) {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");

    public OutboxTable {
        if (name == null || !IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "switchboard.outbox.table must be a plain SQL identifier (letters, digits, _; optionally schema.table), not '"
                            + name + "'");
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
