package io.switchboard.publisher.dedupe;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Remembers which (event id, channel) pairs Pusher has accepted, for a window, so that an event redelivered by
 * Kafka (after a rebalance, a crash, a relay's retry) reaches each channel once. Pairs are recorded only after
 * Pusher accepted them: a crash in between may repeat a publish, never lose one.
 */
public interface DedupeStore {

    /** The channels of {@code channels} that this event has not been delivered to yet, in their order. */
    List<String> undelivered(String eventId, List<String> channels);

    /** Records the event as delivered to these channels (atomic set-if-absent with the window as expiry). */
    void delivered(String eventId, List<String> channels);

    /**
     * {@link #undelivered(String, List)} for many events at once (event id → channels), in one round trip where
     * the store has one; the answer has every event id of the question.
     */
    default Map<String, List<String>> undelivered(Map<String, List<String>> events) {
        Map<String, List<String>> answer = new LinkedHashMap<>();
        events.forEach((id, channels) -> answer.put(id, undelivered(id, channels)));
        return answer;
    }

    /** {@link #delivered(String, List)} for many events at once, in one round trip where the store has one. */
    default void delivered(Map<String, List<String>> events) {
        events.forEach(this::delivered);
    }
}
