package io.switchboard.relay.outbox;

import java.time.Instant;

/**
 * One outbox row as stored; JSON columns as text.
 *
 * @param xid the id of the transaction that inserted it (Postgres), 0 where the database does not expose one
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
        long xid) {

    /** A row ordered by its id alone (MySQL, MariaDB, tests). */
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
        this(id, eventId, type, source, aggregateType, aggregateId, payload, channels, socketId, headers, createdAt, 0);
    }
}
