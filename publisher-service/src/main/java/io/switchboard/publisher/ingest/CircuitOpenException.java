package io.switchboard.publisher.ingest;

import io.switchboard.kafka.TransientFailure;

/**
 * Pusher's circuit breaker is open: the records from the first unsettled one onwards were not sent and must be
 * consumed again once it closes. A {@link TransientFailure}: never dead-lettered, retried for as long as it takes.
 */
public class CircuitOpenException extends TransientFailure {

    public CircuitOpenException() {
        super("the circuit breaker around Pusher is open: delivery paused, offsets not committed");
    }
}
