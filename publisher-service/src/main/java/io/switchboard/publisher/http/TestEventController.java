package io.switchboard.publisher.http;

import io.switchboard.publisher.auth.ChannelAuthorizer;
import io.switchboard.publisher.publish.PusherMessage;
import io.switchboard.publisher.publish.PusherRequest;
import io.switchboard.publisher.publish.ResilientSender;
import io.switchboard.publisher.publish.SendResult;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /api/realtime/pusher/test} (contracts section 7, seed 004): publishes one test event straight to
 * Pusher, through the same retry and circuit breaker as everything else, and answers with Pusher's verdict. Body
 * (all optional): {@code channel} (default {@code private-realtime-test}), {@code event} (default
 * {@code realtime.test}), {@code payload} (default {@code {"message", "ts"}}). A caller may only send to a channel
 * the auth policy lets it read, so the endpoint cannot be used to write into other tenants' channels.
 */
@RestController
@RequestMapping("/api/realtime/pusher")
public class TestEventController {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ResilientSender sender;
    private final ChannelAuthorizer authorizer;
    private final Clock clock;

    public TestEventController(ResilientSender sender, ChannelAuthorizer authorizer, Clock clock) {
        this.sender = sender;
        this.authorizer = authorizer;
        this.clock = clock;
    }

    @PostMapping(path = "/test")
    public ResponseEntity<Object> publishTestEvent(
            @RequestBody(required = false) Map<String, Object> body, @AuthenticationPrincipal Jwt jwt) {
        Map<String, Object> request = body == null ? Map.of() : body;
        String channel = request.get("channel") instanceof String s ? s : "private-realtime-test";
        String event = request.get("event") instanceof String s ? s : "realtime.test";
        Object payload = request.get("payload");
        if (payload == null) {
            Map<String, Object> defaults = new LinkedHashMap<>();
            defaults.put("message", "Switchboard test event");
            defaults.put("ts", clock.instant().toString());
            payload = defaults;
        }
        if (channel.startsWith("private-") || channel.startsWith("presence-")) {
            ChannelAuthorizer.Decision decision = authorizer.decide(channel, PusherAuthController.caller(jwt));
            if (!decision.allowed()) {
                return PusherAuthController.error(HttpStatus.FORBIDDEN, decision.reason());
            }
        }
        PusherMessage message;
        try {
            message = new PusherMessage(
                    "test-" + UUID.randomUUID(), event, List.of(channel), JSON.writeValueAsString(payload), null);
        } catch (IllegalArgumentException e) {
            return PusherAuthController.error(HttpStatus.BAD_REQUEST, e.getMessage());
        }
        SendResult result = sender.send(PusherRequest.of(message)).join();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("channel", channel);
        answer.put("event", event);
        answer.put("event_id", message.eventId());
        answer.put("delivered", result.status() == SendResult.Status.DELIVERED);
        answer.put("status", result.status().name());
        answer.put("attempts", result.attempts());
        if (result.outcome() != null && result.status() != SendResult.Status.DELIVERED) {
            answer.put("http_status", result.outcome().httpStatus());
            answer.put("message", result.outcome().message());
        }
        HttpStatus status = switch (result.status()) {
            case DELIVERED -> HttpStatus.OK;
            case REFUSED -> HttpStatus.UNPROCESSABLE_CONTENT;
            default -> HttpStatus.BAD_GATEWAY;
        };
        return ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_JSON)
                .body(answer);
    }
}
