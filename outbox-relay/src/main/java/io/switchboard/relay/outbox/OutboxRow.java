package io.switchboard.relay.outbox;

import java.time.Instant;

/**
 * One outbox row as stored; JSON columns as text.
 *
 * @param traceparent the W3C trace context the writer left in the row, or null
 */
public record OutboxRow(
        long id,
        String eventId,
        String type,
        String source,
        String aggregateType,
        String aggregateId,
        String payload,
        String channels,
        String socketId,
        String headers,
        Instant createdAt,
        String traceparent) {

    /** A row without trace context (tests). */
    public OutboxRow(
            long id,
            String eventId,
            String type,
            String source,
            String aggregateType,
            String aggregateId,
            String payload,
            String channels,
            String socketId,
            String headers,
            Instant createdAt) {
        this(
                id,
                eventId,
                type,
                source,
                aggregateType,
                aggregateId,
                payload,
                channels,
                socketId,
                headers,
                createdAt,
                null);
    }
}
