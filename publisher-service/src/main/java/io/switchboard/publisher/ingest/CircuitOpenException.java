package io.switchboard.publisher.ingest;

/**
 * Pusher's circuit breaker is open: the records from the one this names onwards were not sent and must be consumed
 * again once it closes. Never dead-lettered (see KafkaConfig).
 */
public class CircuitOpenException extends RuntimeException {

    public CircuitOpenException() {
        super("the circuit breaker around Pusher is open: delivery paused, offsets not committed");
    }
}
