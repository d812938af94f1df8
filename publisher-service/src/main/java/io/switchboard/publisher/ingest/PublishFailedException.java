package io.switchboard.publisher.ingest;

import io.switchboard.publisher.publish.PublishOutcome;
import io.switchboard.publisher.publish.SendResult;

/**
 * A publish that Pusher refused for good, or that kept failing (5xx, 408, timeouts, connection errors; never 429)
 * until the retries ran out without the circuit breaker opening: it is dead-lettered.
 */
public class PublishFailedException extends RuntimeException {

    private final SendResult result;

    public PublishFailedException(String eventId, SendResult result) {
        super("Pusher did not accept event " + eventId + " after " + result.attempts() + " attempt(s): "
                + describe(result.outcome()));
        this.result = result;
    }

    public SendResult result() {
        return result;
    }

    public PublishOutcome outcome() {
        return result.outcome();
    }

    public boolean permanent() {
        return result.status() == SendResult.Status.REFUSED;
    }

    private static String describe(PublishOutcome outcome) {
        return outcome.kind() + " HTTP " + (outcome.httpStatus() == null ? "-" : outcome.httpStatus()) + " "
                + outcome.message();
    }
}
