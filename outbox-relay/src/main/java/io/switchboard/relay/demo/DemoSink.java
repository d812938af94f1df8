package io.switchboard.relay.demo;

/** Where the demo's rows go: the outbox table in the relay, a list in tests. */
@FunctionalInterface
public interface DemoSink {

    /** Writes the row; throws {@link Unavailable} when it cannot be written now (the row is tried again). */
    void write(DemoRow row);

    /** The outbox could not take the row now (the database is down). */
    final class Unavailable extends RuntimeException {
        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
