package io.switchboard.gateway.console;

import java.time.Instant;
import java.util.List;

/**
 * An event as Pusher accepted it, one row of the console's event list: from the publisher's PUBLISHED receipt on the
 * ledger, with the size and truncation of the data the router wrote on the publish topic when the console saw that
 * record too (null otherwise).
 *
 * @param latencyMillis from the outbox row's commit to Pusher's acceptance ({@code settled_at - committed_at})
 * @param bytes the UTF-8 bytes of the data sent to Pusher
 * @param originalBytes the payload's bytes before truncation
 */
public record PublishedEvent(
        String eventId,
        String name,
        String aggregateId,
        List<String> channels,
        Instant committedAt,
        Instant settledAt,
        Long latencyMillis,
        int attempts,
        Integer httpStatus,
        String rule,
        Integer bytes,
        Boolean truncated,
        Integer originalBytes) {

    /** What the router wrote for the event on the publish topic. */
    record Data(int bytes, boolean truncated, int originalBytes, String rule) {}

    PublishedEvent with(Data data) {
        if (data == null) {
            return this;
        }
        return new PublishedEvent(
                eventId,
                name,
                aggregateId,
                channels,
                committedAt,
                settledAt,
                latencyMillis,
                attempts,
                httpStatus,
                rule != null ? rule : data.rule(),
                data.bytes(),
                data.truncated(),
                data.originalBytes());
    }
}
