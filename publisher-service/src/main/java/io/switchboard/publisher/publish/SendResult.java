package io.switchboard.publisher.publish;

import java.util.List;

/**
 * What became of one request after retries: delivered, refused for good, failed for now until the retries ran out,
 * not sent at all because it targets an encrypted channel and no master key is set, or undecided: not sent because the circuit breaker is open, or still rate-limited (429) when the retries ran out.
 * An undecided request's messages are neither delivered nor dead-lettered: they must be sent later.
 *
 * @param status the final state
 * @param outcome Pusher's last answer; null when the circuit was open before any attempt
 * @param attempts how many times the request was sent
 */
public record SendResult(Status status, PublishOutcome outcome, int attempts) {

    public enum Status {
        DELIVERED,
        REFUSED,
        /** 5xx, 408, a timeout or a connection error to the last attempt, the breaker closed: dead-lettered. */
        RETRIES_EXHAUSTED,
        /** Undecided: the breaker is open (or opened during the retries). */
        CIRCUIT_OPEN,
        /** Undecided: the last attempt was answered 429. Rate limiting slows delivery down, never dead-letters. */
        RATE_LIMITED,
        /**
         * Not sent: the event targets a {@code private-encrypted-} channel and PUSHER_ENCRYPTION_MASTER_KEY_BASE64
         * is not set. Permanent (dead-lettered): it is never sent in clear text.
         */
        ENCRYPTION_KEY_MISSING
    }

    /** False when nothing was decided (circuit open, rate limited): the messages must be sent again later. */
    public boolean decided() {
        return status != Status.CIRCUIT_OPEN && status != Status.RATE_LIMITED;
    }

    static SendResult of(PublishOutcome outcome, int attempts) {
        Status status = switch (outcome.kind()) {
            case DELIVERED -> Status.DELIVERED;
            case PERMANENT -> Status.REFUSED;
            case TRANSIENT -> outcome.rateLimited() ? Status.RATE_LIMITED : Status.RETRIES_EXHAUSTED;
        };
        return new SendResult(status, outcome, attempts);
    }

    /** The result of a message that was not sent because it needs encryption and no master key is set. */
    public static SendResult encryptionKeyMissing(PusherMessage message) {
        List<String> encrypted =
                message.channels().stream().filter(PusherRequest::encrypted).toList();
        return new SendResult(
                Status.ENCRYPTION_KEY_MISSING,
                new PublishOutcome(
                        PublishOutcome.Kind.PERMANENT,
                        null,
                        "not sent: " + encrypted.size() + " private-encrypted- channel(s) (" + encrypted.get(0)
                                + (encrypted.size() > 1 ? ", …" : "") + ") need end-to-end encryption and"
                                + " PUSHER_ENCRYPTION_MASTER_KEY_BASE64 is not set (never published in clear text)"),
                0);
    }

    static SendResult circuitOpen(PublishOutcome last, int attempts) {
        return new SendResult(Status.CIRCUIT_OPEN, last, attempts);
    }
}
