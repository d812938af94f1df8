package io.switchboard.relay.outbox;

import java.util.List;

/**
 * Where the relay reads committed outbox rows from, in publication order, and removes them once published.
 *
 * <p>Publication order must be final when a row is read: a row that commits later may never sort before rows
 * already returned, or a reader that moved past its place would publish it after its aggregate's later events.
 */
public interface OutboxSource {

    /**
     * Up to {@code limit} rows in publication order, all of them after {@code after} ({@link Position#START} for
     * the first), and only rows whose place in that order is final.
     */
    List<OutboxRow> fetch(Position after, int limit);

    /**
     * True when the last {@link #fetch} stopped at a committed row whose place was not final yet (a transaction that
     * may still write in front of it is open): rows are waiting, so the caller should ask again soon rather than wait
     * for a notification.
     */
    default boolean heldBack() {
        return false;
    }

    /** Removes published (or dead-lettered) rows. */
    void delete(List<Long> ids);

    /**
     * A row's place in publication order: its inserting transaction's id where the database exposes one (Postgres),
     * then its id. Elsewhere {@code xid} is 0 and the id alone orders rows.
     */
    record Position(long xid, long id) implements Comparable<Position> {

        /** Before every row. */
        public static final Position START = new Position(0, -1);

        public static Position of(OutboxRow row) {
            return new Position(row.xid(), row.id());
        }

        @Override
        public int compareTo(Position other) {
            int byXid = Long.compare(xid, other.xid);
            return byXid != 0 ? byXid : Long.compare(id, other.id);
        }
    }
}
