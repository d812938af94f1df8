package io.switchboard.relay.outbox;

import java.util.List;
import java.util.Set;

/**
 * Where the relay reads committed outbox rows from, oldest first, and removes them once published.
 *
 * <p>Every read starts again from the oldest row not yet removed; the relay skips the rows it has in flight. It never
 * keeps a cursor: ids are handed out at insert, not at commit, so a row can commit after rows with higher ids, and a
 * reader that had moved past its id would publish it after its aggregate's next row. Read from the oldest row, a row
 * that commits late is found by the first read after its commit, which is no later than the first read that can see
 * a row its writer inserted after it.
 */
public interface OutboxSource {

    /** Up to {@code limit} rows in id order, the oldest committed ones whose id is not in {@code skip}. */
    List<OutboxRow> fetch(Set<Long> skip, int limit);

    /** Removes published (or dead-lettered) rows. */
    void delete(List<Long> ids);
}
