package io.switchboard.router.warmup;

import io.switchboard.kafka.warmup.WarmUp;
import io.switchboard.router.routing.EventRouter;
import io.switchboard.schemas.ChannelPublish;
import io.switchboard.schemas.RealtimeEvent;
import io.switchboard.schemas.wire.PinnedSchemaRegistry;
import io.switchboard.schemas.wire.WireFormat;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The router's hot path, run before it consumes (kafka-support's WarmUpBeforeConsuming): Avro decoding of a
 * RealtimeEvent, routing under the service's own rules, truncation, Avro encoding of the ChannelPublish. Events of
 * the seeds' shapes (one per default rule, one oversize); the progress guard is not asked (its store is Redis or
 * the partitions' memory), nothing is sent. Pinned schema ids: no registry call.
 */
@Component
public class RoutingWarmUp implements WarmUp {

    private final EventRouter router;
    private final List<byte[]> events;
    private final int publishSchemaId;
    private int next;

    public RoutingWarmUp(EventRouter router) {
        this.router = router;
        PinnedSchemaRegistry registry = PinnedSchemaRegistry.instance();
        int eventSchemaId = registry.idFor("realtime.events-value", RealtimeEvent.getClassSchema());
        this.publishSchemaId = registry.idFor("realtime.publish-value", ChannelPublish.getClassSchema());
        this.events = List.of(
                        event("audit.step_completed", "{\"audit_id\":\"A1\",\"fiche_id\":\"F1\",\"step_position\":3}"),
                        event("qa.run.progress", "{\"org_id\":\"O1\",\"run_id\":\"R1\",\"done\":40,\"total\":120}"),
                        event(
                                "document.analyzed",
                                "{\"document_id\":\"D1\",\"findings\":[" + "{\"id\":1,\"text\":\"x\"},".repeat(600)
                                        + "{\"id\":2}]}"),
                        event("JobStatusUpdated", "{\"userId\":\"U1\",\"jobId\":\"J1\",\"status\":\"running\"}"),
                        event("transcription.progressed", "{\"fiche_id\":\"F2\",\"percent\":55}"))
                .stream()
                .map(e -> WireFormat.encode(eventSchemaId, e))
                .toList();
    }

    @Override
    public String name() {
        return "router: Avro, routing, truncation";
    }

    @Override
    public void once() {
        RealtimeEvent event = WireFormat.decode(
                events.get(next++ % events.size()), PinnedSchemaRegistry.instance(), RealtimeEvent.getClassSchema());
        if (router.route(event, (aggregate, type, payload) -> true) instanceof EventRouter.Routed routed) {
            WireFormat.encode(publishSchemaId, routed.publish());
        }
    }

    private static RealtimeEvent event(String type, String payload) {
        return RealtimeEvent.newBuilder()
                .setEventId("warm-up")
                .setType(type)
                .setOccurredAt(Instant.now())
                .setSource("warm-up")
                .setAggregateType("warm-up")
                .setAggregateId("warm-up")
                .setPayload(payload)
                .setHeaders(Map.of("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"))
                .build();
    }
}
