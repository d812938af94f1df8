package io.switchboard.router.routing;

import io.switchboard.schemas.ChannelPublish;
import io.switchboard.schemas.RealtimeEvent;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A {@link RealtimeEvent} to the {@link ChannelPublish} that Pusher will get: parses and checks the payload, routes
 * it, and carries ids, times and headers over. Pure: no Kafka, no Spring; the clock is injected.
 */
public final class EventRouter {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ChannelRouter router;
    private final Clock clock;

    public EventRouter(ChannelRouter router, Clock clock) {
        this.router = router;
        this.clock = clock;
    }

    /** A routed event and the name of the rule that routed it (a bounded label for metrics and logs). */
    public record RoutedEvent(ChannelPublish publish, String rule) {}

    /** The publish for this event; throws {@link RoutingException} when the event can never be routed. */
    public RoutedEvent route(RealtimeEvent event) {
        if (event.getType() == null || event.getType().isBlank()) {
            throw new RoutingException(
                    RoutingException.Reason.MISSING_TYPE, "event " + event.getEventId() + " has no type");
        }
        JsonNode payload;
        try {
            payload = JSON.readTree(event.getPayload());
        } catch (JacksonException e) {
            throw new RoutingException(
                    RoutingException.Reason.PAYLOAD_NOT_JSON,
                    "payload of event " + event.getEventId() + " is not JSON: " + e.getOriginalMessage());
        }
        if (payload == null || !payload.isObject()) {
            throw new RoutingException(
                    RoutingException.Reason.PAYLOAD_NOT_OBJECT,
                    "payload of event " + event.getEventId() + " is "
                            + (payload == null
                                    ? "empty"
                                    : "a JSON " + payload.getNodeType().name().toLowerCase())
                            + ", not a JSON object");
        }
        ChannelRouter.RoutingDecision decision = router.route(event.getType(), payload, event.getChannels());
        String data = event.getPayload();
        ChannelPublish publish = ChannelPublish.newBuilder()
                .setEventId(event.getEventId())
                .setName(event.getType())
                .setChannels(
                        decision.channels().stream().map(ChannelName::value).toList())
                .setData(data)
                .setSocketId(event.getSocketId())
                .setOccurredAt(event.getOccurredAt())
                .setRoutedAt(clock.instant())
                .setTruncated(false)
                .setOriginalBytes(data.getBytes(StandardCharsets.UTF_8).length)
                .setHeaders(event.getHeaders())
                .build();
        return new RoutedEvent(publish, decision.rule());
    }
}
