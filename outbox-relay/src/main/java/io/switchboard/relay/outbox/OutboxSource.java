package io.switchboard.relay.outbox;

import java.util.List;

/** Where the relay reads committed outbox rows from, oldest first, and removes them once published. */
public interface OutboxSource {

    /** Up to {@code limit} rows in id order, all of them with an id above {@code afterId}. */
    List<OutboxRow> fetch(long afterId, int limit);

    /** Removes published (or dead-lettered) rows. */
    void delete(List<Long> ids);
}
