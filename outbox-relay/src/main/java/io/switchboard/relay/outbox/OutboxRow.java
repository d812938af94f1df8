package io.switchboard.relay.outbox;

import java.time.Instant;

/**
 * One outbox row as stored; JSON columns as text.
 *
 * @param xid the id of the transaction that inserted it (Postgres), 0 where the database does not expose one
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
        long xid,
        String traceparent) {

    /** A row ordered by its id alone, without trace context (tests). */
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
                0,
                null);
    }
}
