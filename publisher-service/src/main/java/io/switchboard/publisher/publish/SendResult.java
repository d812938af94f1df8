package io.switchboard.publisher.publish;

/**
 * What became of one request after retries: delivered, refused for good, failed for now until the retries ran out,
 * or not sent because the circuit breaker is open (nothing was decided: the messages must be sent later).
 *
 * @param status the final state
 * @param outcome Pusher's last answer; null when the circuit was open before any attempt
 * @param attempts how many times the request was sent
 */
public record SendResult(Status status, PublishOutcome outcome, int attempts) {

    public enum Status {
        DELIVERED,
        REFUSED,
        RETRIES_EXHAUSTED,
        CIRCUIT_OPEN
    }

    static SendResult of(PublishOutcome outcome, int attempts) {
        Status status = switch (outcome.kind()) {
            case DELIVERED -> Status.DELIVERED;
            case PERMANENT -> Status.REFUSED;
            case TRANSIENT -> Status.RETRIES_EXHAUSTED;
        };
        return new SendResult(status, outcome, attempts);
    }

    static SendResult circuitOpen(PublishOutcome last, int attempts) {
        return new SendResult(Status.CIRCUIT_OPEN, last, attempts);
    }
}
