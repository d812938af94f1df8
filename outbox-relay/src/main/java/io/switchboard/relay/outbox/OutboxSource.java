package io.switchboard.relay.outbox;

import java.util.List;

/** Where the relay reads committed outbox rows from, oldest first, and removes them once published. */
public interface OutboxSource {

    /** Up to {@code limit} rows in id order. */
    List<OutboxRow> fetch(int limit);

    /** Removes published (or dead-lettered) rows. */
    void delete(List<Long> ids);
}
