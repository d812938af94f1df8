package io.switchboard.router.routing;

import io.switchboard.router.guard.ProgressGuard;
import io.switchboard.router.truncation.EncryptionOverhead;
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
 * progress guard and truncates it to the payload limit. An event with a {@code private-encrypted-} channel among its
 * channels is truncated, as a whole, to the plaintext that still fits the limit once encrypted
 * ({@link EncryptionOverhead}): one data for every channel of the event, as the publisher sends it. Pure apart from
 * the guard's memory: no Kafka, no Spring; the clock is injected. The same code serves the service and the route
 * command.
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

    /** Pusher's limit on an event name's length. */
    public static final int MAX_EVENT_NAME = 200;

    /** Whether the progress guard lets an event through (one poll's {@link ProgressGuard.Poll}, at one record). */
    @FunctionalInterface
    public interface Admission {
        boolean admit(String entity, String type, JsonNode payload);
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ChannelRouter router;
    private final PayloadTruncator truncator;
    private final PayloadTruncator encryptedTruncator;
    private final ProgressGuard guard;
    private final Clock clock;

    /**
     * @param truncator the payload limit; at least {@link EncryptionOverhead#MIN_LIMIT} bytes, so that an event to an
     *     encrypted channel can always be cut down to fit once encrypted
     */
    public EventRouter(ChannelRouter router, PayloadTruncator truncator, ProgressGuard guard, Clock clock) {
        if (truncator.limit() < EncryptionOverhead.MIN_LIMIT) {
            throw new IllegalArgumentException("the payload limit (PUSHER_MAX_PAYLOAD_BYTES) is " + truncator.limit()
                    + " bytes; it must be at least " + EncryptionOverhead.MIN_LIMIT
                    + ", so that an event to a private-encrypted- channel still fits once encrypted");
        }
        this.router = router;
        this.truncator = truncator;
        this.encryptedTruncator = new PayloadTruncator(EncryptionOverhead.plaintextLimit(truncator.limit()));
        this.guard = guard;
        this.clock = clock;
    }

    /**
     * The outcome for this event on its own, its progress-guard decision saved at once (the route command, tools);
     * throws {@link RoutingException} when the event can never be routed.
     */
    public Outcome route(RealtimeEvent event) {
        ProgressGuard.Poll poll = guard.poll();
        Outcome outcome = route(event, (entity, type, payload) -> poll.admit(0, 0, entity, type, payload));
        poll.save(1);
        return outcome;
    }

    /**
     * The outcome for this event, with the guard's decision taken by {@code admission} (the service saves it only
     * once the output is durable); throws {@link RoutingException} when the event can never be routed.
     */
    public Outcome route(RealtimeEvent event, Admission admission) {
        String type = event.getType();
        if (type == null || type.isBlank()) {
            throw new RoutingException(
                    RoutingException.Reason.MISSING_TYPE, "event " + event.getEventId() + " has no type");
        }
        if (type.startsWith("pusher:") || type.startsWith("pusher_internal:")) {
            throw new RoutingException(
                    RoutingException.Reason.RESERVED_EVENT_NAME,
                    "event " + event.getEventId() + " has type " + type
                            + ": names starting with pusher: or pusher_internal: are Pusher's own");
        }
        if (type.length() > MAX_EVENT_NAME) {
            throw new RoutingException(
                    RoutingException.Reason.EVENT_NAME_TOO_LONG,
                    "event " + event.getEventId() + " has a type of " + type.length()
                            + " characters; Pusher takes at most " + MAX_EVENT_NAME);
        }
        ObjectNode payload = parseObject(event);
        ChannelRouter.RoutingDecision decision = router.route(type, payload, event.getChannels());
        PayloadTruncator limit =
                decision.channels().stream().anyMatch(ChannelName::encrypted) ? encryptedTruncator : truncator;
        TruncationResult data = limit.truncate(event.getPayload(), payload, Set.copyOf(decision.keep()));
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
        // last: nothing after the guard's decision can fail, so a dead-lettered event never moves the guard
        if (!admission.admit(event.getAggregateId(), type, payload)) {
            return new Dropped(
                    PROGRESS_REGRESSED,
                    decision.rule(),
                    "progress of " + event.getAggregateId() + " went backwards for " + type);
        }
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
