package io.switchboard.relay.relay;

/** What the loop reports as it goes: metrics hang off one implementation of this, not off the loop itself. */
public interface RelayListener {

    /** A step succeeded and retired what it says. */
    default void step(OutboxRelay.Step step) {}

    /** A step failed and will be retried after a backoff. */
    default void failure(Throwable error) {}

    /** A listener that ignores everything (unit tests). */
    RelayListener NONE = new RelayListener() {};
}
