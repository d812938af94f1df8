package io.switchboard.gateway.http;

import com.pusher.rest.Pusher;
import com.pusher.rest.data.Result;
import io.switchboard.gateway.auth.ChannelAuthorizer;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
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

    private final ObjectProvider<Pusher> pusher;
    private final ChannelAuthorizer authorizer;
    private final Clock clock;

    public TestEventController(ObjectProvider<Pusher> pusher, ChannelAuthorizer authorizer, Clock clock) {
        this.pusher = pusher;
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
        Pusher client = pusher.getIfAvailable();
        if (client == null) {
            return PusherAuthController.error(HttpStatus.SERVICE_UNAVAILABLE, "Pusher credentials are not configured");
        }
        String eventId = "test-" + UUID.randomUUID();
        Result result = client.trigger(channel, event, JSON.writeValueAsString(payload));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("channel", channel);
        answer.put("event", event);
        answer.put("event_id", eventId);
        boolean delivered = result.getStatus() == Result.Status.SUCCESS;
        answer.put("delivered", delivered);
        answer.put("status", result.getStatus().name());
        if (!delivered) {
            answer.put("http_status", result.getHttpStatus());
            answer.put("message", result.getMessage());
        }
        HttpStatus status = delivered ? HttpStatus.OK : HttpStatus.BAD_GATEWAY;
        return ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_JSON)
                .body(answer);
    }
}
