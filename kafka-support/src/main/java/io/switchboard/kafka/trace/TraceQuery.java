package io.switchboard.kafka.trace;

import io.switchboard.kafka.DeadLetterHeaders;
import io.switchboard.kafka.ReplayHeaders;
import io.switchboard.schemas.RealtimeEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What to trace: event ids, the events of one aggregate (the Kafka key), the event of one outbox row, or, alone,
 * every event that touched a channel; with other targets, the channel the answer is about ("did it reach C?").
 */
public record TraceQuery(List<String> eventIds, String aggregate, String outboxId, String channel) {

    public TraceQuery {
        eventIds = eventIds == null ? List.of() : List.copyOf(eventIds);
    }

    /** One event, optionally about one channel. */
    public static TraceQuery event(String eventId, String channel) {
        return new TraceQuery(List.of(eventId), null, null, channel);
    }

    /** Whether anything at all is asked. */
    public boolean isEmpty() {
        return eventIds.isEmpty() && aggregate == null && outboxId == null && channel == null;
    }

    /** Whether an event, aggregate or outbox row is named (the channel then only shapes the answer). */
    public boolean named() {
        return !eventIds.isEmpty() || aggregate != null || outboxId != null;
    }

    /** Whether a record on the events topic is one to follow: the event, or a copy of it sent by a replay. */
    boolean wants(RealtimeEvent event, String key, Set<String> ids) {
        return ids.contains(event.getEventId())
                || copyOf(event.getHeaders(), ids)
                || aggregate != null && aggregate.equals(key)
                || outboxId != null && outboxId.equals(event.getHeaders().get(DeadLetterHeaders.OUTBOX_ID));
    }

    /**
     * Whether a record's headers map names one of {@code ids} as the event it is a copy of ({@code switchboard replay
     * --redeliver} gives the copy a new id).
     */
    static boolean copyOf(Map<String, String> headers, Set<String> ids) {
        String original = headers == null ? null : headers.get(ReplayHeaders.OF);
        return original != null && ids.contains(original);
    }

    /** Whether a journey found on the way is one to report: with event ids, also their redelivered copies. */
    boolean selects(Journey journey) {
        if (!eventIds.isEmpty()
                && !eventIds.contains(journey.eventId())
                && (journey.replayOf() == null || !eventIds.contains(journey.replayOf()))) {
            return false;
        }
        if (aggregate != null && !aggregate.equals(journey.aggregate())) {
            return false;
        }
        if (outboxId != null && !outboxId.equals(journey.outboxId())) {
            return false;
        }
        return named() || channel == null || journey.touches(channel);
    }

    /** {@code --event-id X --channel C}, as the command line takes it. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        if (!eventIds.isEmpty()) {
            parts.add("--event-id " + String.join(",", eventIds));
        }
        if (aggregate != null) {
            parts.add("--aggregate " + aggregate);
        }
        if (outboxId != null) {
            parts.add("--outbox-id " + outboxId);
        }
        if (channel != null) {
            parts.add("--channel " + channel);
        }
        return String.join(" ", parts);
    }
}
