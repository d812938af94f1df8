package io.switchboard.relay.relay;

import io.switchboard.relay.outbox.OutboxRow;

/**
 * A row on its way to the dead-letter topic.
 *
 * @param row the row
 * @param reason why
 * @param text why, in words (the {@code switchboard-reason-text} header)
 * @param metadataOnly true for the fallback written when Kafka refused the full dead letter: the row without its
 *     payload, channels and headers
 */
public record DeadLetter(OutboxRow row, BadRowException.Reason reason, String text, boolean metadataOnly) {

    static DeadLetter of(OutboxRow row, BadRowException rejection) {
        return new DeadLetter(row, rejection.reason(), rejection.getMessage(), false);
    }

    /** The fallback once Kafka refused this dead letter for good. */
    DeadLetter metadataOnly(BadRowException refusal) {
        return new DeadLetter(
                row,
                reason,
                text + "; Kafka refused the dead letter itself (" + refusal.getMessage()
                        + "), so this one keeps the row's metadata only",
                true);
    }
}
