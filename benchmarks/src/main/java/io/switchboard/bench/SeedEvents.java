package io.switchboard.bench;

import io.switchboard.schemas.ChannelPublish;
import io.switchboard.schemas.RealtimeEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Seed-shaped events (seed 002) for the benchmarks: a typical ~300-byte one and a 50 KB oversize one. */
final class SeedEvents {

    private SeedEvents() {}

    /** The data of a seed-002 audit.progress event, as the router emits it (JSON text, about 150 bytes). */
    static final String PROGRESS_DATA = "{\"audit_id\":\"audit-1787121-1-1765755984607\",\"fiche_id\":\"1787121\","
            + "\"completed_steps\":3,\"total_steps\":5,\"failed_steps\":0,\"current_phase\":\"analysis\"}";

    /** The ChannelPublish the router emits for that event, to the one channel {@code bench-<key>}. */
    static ChannelPublish progressPublish(String eventId, String key) {
        Instant now = Instant.now();
        return ChannelPublish.newBuilder()
                .setEventId(eventId)
                .setName("audit.progress")
                .setChannels(List.of("bench-" + key))
                .setData(PROGRESS_DATA)
                .setOccurredAt(now)
                .setRoutedAt(now)
                .setTruncated(false)
                .setOriginalBytes(PROGRESS_DATA.length())
                .build();
    }

    /** audit.step_completed for a normal step, about 300 bytes of payload. */
    static RealtimeEvent typical(int n) {
        String audit = "audit-" + (1787121 + n % 1000) + "-1-1765755984607";
        String payload =
                ("{\"audit_id\":\"%s\",\"fiche_id\":\"%d\",\"step_position\":%d,\"step_name\":\"Verification of"
                                + " the customer's identity and consent\",\"score\":8,\"max_score\":10,\"conforme\":true,"
                                + "\"total_citations\":4,\"tokens_used\":1234,\"status\":\"completed\",\"model\":\"gpt-4.1\","
                                + "\"completed_at\":\"2026-02-27T10:00:00Z\",\"duration_ms\":18342}")
                        .formatted(audit, 1787121 + n % 1000, n % 12);
        return event("e" + n, "audit.step_completed", audit, payload);
    }

    /** audit.step_completed for a rerun whose unknown objects carry 50 KB of text. */
    static RealtimeEvent oversize(int n) {
        String text = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. ".repeat(290);
        String payload = ("{\"rerun_id\":\"R%d\",\"audit_id\":\"audit-1\",\"step_position\":3,"
                        + "\"original\":{\"score\":6,\"explanation\":\"%s\"},\"rerun\":{\"score\":8,\"explanation\":\"%s\"},"
                        + "\"comparison\":{\"delta\":2,\"notes\":\"%s\"},\"completed_at\":\"2026-02-27T10:00:00Z\","
                        + "\"status\":\"rerun_completed\"}")
                .formatted(n, text, text, text);
        return event("o" + n, "audit.step_completed", "audit-1", payload);
    }

    private static RealtimeEvent event(String id, String type, String aggregate, String payload) {
        return RealtimeEvent.newBuilder()
                .setEventId(id)
                .setType(type)
                .setOccurredAt(Instant.now())
                .setSource("bench")
                .setAggregateType("audit")
                .setAggregateId(aggregate)
                .setPayload(payload)
                .setHeaders(Map.of())
                .build();
    }
}
