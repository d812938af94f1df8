package io.switchboard.router.routing;

import io.switchboard.router.guard.ProgressGuard;
import io.switchboard.router.truncation.PayloadTruncator;
import io.switchboard.router.truncation.TruncationResult;
import io.switchboard.schemas.ChannelPublish;
import io.switchboard.schemas.RealtimeEvent;
import java.time.Clock;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A {@link RealtimeEvent} to what Pusher will get: checks the payload, routes it to its channels, applies the
 * progress guard and truncates it to the payload limit. Pure apart from the guard's memory: no Kafka, no Spring;
 * the clock is injected. The same code serves the service and the route command.
 */
public final class EventRouter {

    /** What became of an event. */
    public sealed interface Outcome {
        /** The rule that decided ({@code explicit} or {@code none} when no rule did): a bounded label. */
        String rule();
    }

    /** To be published. */
    public record Routed(ChannelPublish publish, String rule, TruncationResult truncation) implements Outcome {}

    /** Not published, by a named policy (the progress guard); counted, not dead-lettered. */
    public record Dropped(String reason, String rule, String message) implements Outcome {}

    public static final String PROGRESS_REGRESSED = "PROGRESS_REGRESSED";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ChannelRouter router;
    private final PayloadTruncator truncator;
    private final ProgressGuard guard;
    private final Clock clock;

    public EventRouter(ChannelRouter router, PayloadTruncator truncator, ProgressGuard guard, Clock clock) {
        this.router = router;
        this.truncator = truncator;
        this.guard = guard;
        this.clock = clock;
    }

    /** The outcome for this event; throws {@link RoutingException} when the event can never be routed. */
    public Outcome route(RealtimeEvent event) {
        if (event.getType() == null || event.getType().isBlank()) {
            throw new RoutingException(
                    RoutingException.Reason.MISSING_TYPE, "event " + event.getEventId() + " has no type");
        }
        ObjectNode payload = parseObject(event);
        ChannelRouter.RoutingDecision decision = router.route(event.getType(), payload, event.getChannels());
        if (!guard.admit(event.getAggregateId(), event.getType(), payload)) {
            return new Dropped(
                    PROGRESS_REGRESSED,
                    decision.rule(),
                    "progress of " + event.getAggregateId() + " went backwards for " + event.getType());
        }
        TruncationResult data = truncator.truncate(event.getPayload(), payload, Set.copyOf(decision.keep()));
        ChannelPublish publish = ChannelPublish.newBuilder()
                .setEventId(event.getEventId())
                .setName(event.getType())
                .setChannels(
                        decision.channels().stream().map(ChannelName::value).toList())
                .setData(data.json())
                .setSocketId(event.getSocketId())
                .setOccurredAt(event.getOccurredAt())
                .setRoutedAt(clock.instant())
                .setTruncated(data.truncated())
                .setOriginalBytes(data.originalBytes())
                .setHeaders(event.getHeaders())
                .build();
        return new Routed(publish, decision.rule(), data);
    }

    private static ObjectNode parseObject(RealtimeEvent event) {
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
                            + (payload == null || payload.isMissingNode()
                                    ? "empty"
                                    : "a JSON " + payload.getNodeType().name().toLowerCase())
                            + ", not a JSON object");
        }
        return (ObjectNode) payload;
    }
}
