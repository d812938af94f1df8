package io.switchboard.relay.outbox;

import java.time.Duration;

/** How the idle relay waits for new rows: a notification from the database, or the end of the poll interval. */
public interface Waker extends AutoCloseable {

    /** Waits up to {@code max}; returns early when new rows may be there. */
    void await(Duration max) throws InterruptedException;

    /** True when a notification, not only the poll interval, can end a wait. */
    default boolean notifies() {
        return false;
    }

    /**
     * Starts listening for notifications, if this waker can; true when it was not listening before (rows committed
     * before it started are not announced: the caller looks once more before it waits).
     */
    default boolean listen() {
        return false;
    }

    /** Stops listening while rows keep coming: the caller polls instead of being woken once per row. */
    default void stopListening() {}

    @Override
    default void close() {}

    /** Polling only: waits the whole interval. */
    static Waker polling() {
        return max -> {
            long deadline = System.nanoTime() + max.toNanos();
            long left;
            while ((left = deadline - System.nanoTime()) > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(left);
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
        };
    }
}
