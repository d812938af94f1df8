package io.switchboard.relay.lock;

/**
 * Exactly one relay replica is active: the one holding this lock. Publishing in id order per aggregate needs a
 * single reader; see docs/outbox.md for why this, and not SKIP LOCKED across replicas.
 */
public interface ReplicaLock extends AutoCloseable {

    /**
     * Takes the lock, or checks that it is still held; true while this replica is the active one, false while another
     * holds it. Throws when the database cannot be asked (that is a failure, not a standby).
     */
    boolean tryHold();

    /** The next {@link #tryHold()} checks with the database that the lock is still held (after a failed step). */
    default void verifyNext() {}

    /** The lock's name, as the database knows it. */
    default String name() {
        return "none";
    }

    /** The database session holding the lock for this replica, or null. */
    default String session() {
        return null;
    }

    /** Lets go of the lock (a standby takes over). */
    @Override
    void close();

    /** For one replica alone (tests, single-instance deployments that opt out). */
    static ReplicaLock alwaysHeld() {
        return new ReplicaLock() {
            @Override
            public boolean tryHold() {
                return true;
            }

            @Override
            public void close() {}
        };
    }
}
