package io.switchboard.publisher.ingest;

import io.switchboard.kafka.TransientFailure;

/**
 * Pusher was still answering 429 when a request's retries ran out. Rate limiting is Pusher slowing the whole app
 * down, not anything wrong with the record: a {@link TransientFailure}, so the records from the first unsettled one
 * onwards are consumed again after a backoff, for as long as it takes, and never dead-lettered.
 */
public class RateLimitedException extends TransientFailure {

    public RateLimitedException(String eventId, int attempts) {
        super("Pusher still answered 429 (rate limited) to event " + eventId + " after " + attempts
                + " attempt(s): delivery slowed down, offsets not committed past it");
    }
}
