package io.switchboard.relay.relay;

import io.switchboard.relay.outbox.OutboxRow;

/** What the relay reports as it goes: metrics hang off one implementation of this, not off the loop itself. */
public interface RelayListener {

    /** A row's event was acknowledged by Kafka and the row deleted. */
    default void published(OutboxRow row) {}

    /** A row's dead letter was acknowledged by Kafka and the row deleted. */
    default void deadLettered(DeadLetter letter) {}

    /** A step (or a lock check) failed and will be retried after a backoff. */
    default void failure(Throwable error) {}

    /** A listener that ignores everything. */
    RelayListener NONE = new RelayListener() {};
}
