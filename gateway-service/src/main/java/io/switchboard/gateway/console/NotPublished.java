package io.switchboard.gateway.console;

import java.time.Instant;
import java.util.List;

/**
 * An event that was not published, one row of the console's second list: a dead letter of any stage (from its
 * dead-letter topic, with the reason headers every stage writes) or a drop by a named policy (from the router's
 * DROPPED receipt on the ledger).
 *
 * @param kind {@code dead_letter} or {@code dropped}
 * @param stage {@code relay}, {@code router} or {@code publisher}
 * @param reason the reason code ({@code UNSAFE_PLACEHOLDER}, {@code PUSHER_REJECTED}, {@code PROGRESS_REGRESSED}…)
 * @param text the reason in words
 * @param key the record's key (the aggregate id)
 * @param where {@code topic:partition:offset} of the dead letter, or of the record a drop is about
 * @param httpStatus Pusher's answer, for the publisher's dead letters
 */
public record NotPublished(
        String kind,
        String stage,
        String reason,
        String text,
        String eventId,
        String type,
        String key,
        List<String> channels,
        Instant at,
        String where,
        Integer httpStatus) {

    public static final String DEAD_LETTER = "dead_letter";
    public static final String DROPPED = "dropped";
}
