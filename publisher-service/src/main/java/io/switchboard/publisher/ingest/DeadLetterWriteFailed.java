package io.switchboard.publisher.ingest;

import io.switchboard.kafka.TransientFailure;

/**
 * A record Pusher refused could not be written to the dead-letter topic (Kafka did not acknowledge the write): it
 * is not settled. A {@link TransientFailure}: the records from the first unsettled one onwards are consumed again,
 * for as long as it takes; nothing after it is committed.
 */
public class DeadLetterWriteFailed extends TransientFailure {

    public DeadLetterWriteFailed(String eventId, Throwable cause) {
        super("writing event " + eventId + " to the dead-letter topic failed: " + cause.getMessage(), cause);
    }
}
