package io.switchboard.publisher.ingest;

import io.switchboard.publisher.publish.PublishOutcome;

/** A publish Pusher did not accept; permanent ones are dead-lettered at once, transient ones retried first. */
public class PublishFailedException extends RuntimeException {

    private final PublishOutcome outcome;

    public PublishFailedException(String eventId, PublishOutcome outcome) {
        super("Pusher did not accept event " + eventId + ": " + outcome.kind() + " HTTP "
                + (outcome.httpStatus() == null ? "-" : outcome.httpStatus()) + " " + outcome.message());
        this.outcome = outcome;
    }

    public PublishOutcome outcome() {
        return outcome;
    }

    public boolean permanent() {
        return outcome.kind() == PublishOutcome.Kind.PERMANENT;
    }

    /** The permanent kind, for the error handler's not-retryable list. */
    public static class Permanent extends PublishFailedException {
        public Permanent(String eventId, PublishOutcome outcome) {
            super(eventId, outcome);
        }
    }
}
