package io.switchboard.publisher.ingest;

import io.switchboard.publisher.publish.PublishOutcome;
import io.switchboard.publisher.publish.SendResult;

/**
 * A publish that Pusher refused for good, or that kept failing (5xx, 408, timeouts, connection errors; never 429)
 * until the retries ran out without the circuit breaker opening, or that was not sent because it needs encryption
 * and no master key is set: it is dead-lettered.
 */
public class PublishFailedException extends RuntimeException {

    private final SendResult result;

    public PublishFailedException(String eventId, SendResult result) {
        super(
                result.status() == SendResult.Status.ENCRYPTION_KEY_MISSING
                        ? "event " + eventId + " was " + result.outcome().message()
                        : "Pusher did not accept event " + eventId + " after " + result.attempts() + " attempt(s): "
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

    /** Not sent: it targets a private-encrypted- channel and PUSHER_ENCRYPTION_MASTER_KEY_BASE64 is not set. */
    public boolean encryptionKeyMissing() {
        return result.status() == SendResult.Status.ENCRYPTION_KEY_MISSING;
    }

    private static String describe(PublishOutcome outcome) {
        return outcome.kind() + " HTTP " + (outcome.httpStatus() == null ? "-" : outcome.httpStatus()) + " "
                + outcome.message();
    }
}
