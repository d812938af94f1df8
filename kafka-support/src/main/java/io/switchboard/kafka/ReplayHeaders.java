package io.switchboard.kafka;

/**
 * The markers {@code switchboard replay} puts on what it re-sends, as Kafka headers and, where it re-encodes a record,
 * in the record's own {@code headers} map (which the router carries from an event to its publish): so that a replay
 * can be found and counted, and the trace tells a replay from a first delivery.
 */
public final class ReplayHeaders {

    /** One UUID per run of the command: every record it sent carries it. */
    public static final String ID = "switchboard-replay-id";

    /** When it was re-sent (ISO-8601). */
    public static final String AT = "switchboard-replay-at";

    /** Where it came from: {@code topic:partition:offset}. */
    public static final String FROM = "switchboard-replay-from";

    /** With {@code --redeliver}: the original event id of a copy sent with a new one. */
    public static final String OF = "switchboard-replay-of";

    /**
     * With {@code --shadow-prefix}: the prefix. A publish that carries it goes to shadow channels, not to the users'
     * ones.
     */
    public static final String SHADOW = "switchboard-replay-shadow";

    private ReplayHeaders() {}
}
