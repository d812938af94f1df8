package io.switchboard.kafka;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The one header set of every dead letter, whichever stage wrote it (docs/dead-letters.md):
 *
 * <ul>
 *   <li>{@value #REASON}: the reason code, from a bounded set per stage (it labels metrics too);
 *   <li>{@value #REASON_TEXT}: the reason in words, at most {@value #MAX_TEXT} characters;
 *   <li>{@value #STAGE}: {@code relay}, {@code router} or {@code publisher};
 *   <li>{@value #EVENT_ID}: the event id, when the stage could read one;
 *   <li>for a record read from Kafka (router, publisher), spring-kafka's {@code kafka_dlt-original-topic},
 *       {@code -partition}, {@code -offset}, {@code -timestamp}, {@code -exception-fqcn} and
 *       {@code -exception-message}, with the original value bytes kept as they were read;
 *   <li>for an outbox row (relay), {@value #OUTBOX_ID} and {@value #OUTBOX_TABLE}, with the row as JSON.
 * </ul>
 */
public final class DeadLetterHeaders {

    public static final String REASON = "switchboard-reason";
    public static final String REASON_TEXT = "switchboard-reason-text";
    public static final String STAGE = "switchboard-stage";
    public static final String EVENT_ID = "switchboard-event-id";
    public static final String OUTBOX_ID = "switchboard-outbox-id";
    public static final String OUTBOX_TABLE = "switchboard-outbox-table";

    /** Headers are not the place for a whole stack: a reason's text is cut here. */
    public static final int MAX_TEXT = 1000;

    private DeadLetterHeaders() {}

    /** Adds the reason, its text, the stage and (when known) the event id. */
    public static void add(Headers headers, String stage, String reason, String text, String eventId) {
        put(headers, STAGE, stage);
        put(headers, REASON, reason);
        put(headers, REASON_TEXT, cut(text));
        if (eventId != null && !eventId.isEmpty()) {
            put(headers, EVENT_ID, eventId);
        }
    }

    /** Replaces any header of that name with one value. */
    public static void put(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, (value == null ? "" : value).getBytes(StandardCharsets.UTF_8));
    }

    /** The last value of a header as text, or null. */
    public static String get(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    static String cut(String text) {
        if (text == null) {
            return "";
        }
        return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT - 1) + "…";
    }
}
