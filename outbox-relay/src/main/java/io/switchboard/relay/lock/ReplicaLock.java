package io.switchboard.relay.lock;

/**
 * Exactly one relay replica is active: the one holding this lock. Publishing in id order per aggregate needs a
 * single reader; see docs/outbox.md for why this, and not SKIP LOCKED across replicas.
 */
public interface ReplicaLock extends AutoCloseable {

    /** Takes the lock, or checks that it is still held; true while this replica is the active one. */
    boolean tryHold();

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
