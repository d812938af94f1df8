package io.switchboard.relay.outbox;

import java.time.Instant;

/** One outbox row as stored; JSON columns as text. */
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
        Instant createdAt) {}
