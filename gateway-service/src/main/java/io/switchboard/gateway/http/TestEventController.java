package io.switchboard.gateway.http;

import com.pusher.rest.Pusher;
import com.pusher.rest.data.Result;
import io.switchboard.gateway.config.PusherProperties;
import io.switchboard.gateway.config.TestEndpointEnabled;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Conditional;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /api/realtime/pusher/test} (contracts section 7, seed 004), for operators: publishes one test event
 * straight to Pusher with pusher-http-java and answers with Pusher's verdict. It exists only when
 * {@code switchboard.test-endpoint.enabled} (env {@code SWITCHBOARD_TEST_ENDPOINT=1}) is set, and only a caller with
 * the operator token reaches it (SecurityConfig): a browser's token, however valid, is refused. Body (all optional):
 * {@code channel} (default {@code private-realtime-test}), {@code event} (default {@code realtime.test}),
 * {@code payload} (default {@code {"message", "ts"}}). Event names that are Pusher's own ({@code pusher:},
 * {@code pusher_internal:}), event names over 200 characters and channel names Pusher would refuse get 400.
 */
@RestController
@RequestMapping("/api/realtime/pusher")
@Conditional(TestEndpointEnabled.class)
public class TestEventController {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ObjectProvider<Pusher> pusher;
    private final boolean encryption;
    private final Clock clock;

    public TestEventController(ObjectProvider<Pusher> pusher, PusherProperties properties, Clock clock) {
        this.pusher = pusher;
        this.encryption = properties.encryptionEnabled();
        this.clock = clock;
    }

    @PostMapping(path = "/test")
    public ResponseEntity<Object> publishTestEvent(
            @RequestBody(required = false) Map<String, Object> body, HttpServletRequest request) {
        Map<String, Object> fields = body == null ? Map.of() : body;
        Object channelField = fields.getOrDefault("channel", "private-realtime-test");
        Object eventField = fields.getOrDefault("event", "realtime.test");
        if (!(channelField instanceof String channel) || !(eventField instanceof String event)) {
            return PusherAuthController.error(
                    request, HttpStatus.BAD_REQUEST, Refusals.BAD_REQUEST, "channel and event must be strings");
        }
        String problem = PusherNames.channelProblem(channel);
        if (problem != null) {
            return PusherAuthController.error(request, HttpStatus.BAD_REQUEST, Refusals.NAME_INVALID, problem);
        }
        problem = PusherNames.eventProblem(event);
        if (problem != null) {
            return PusherAuthController.error(request, HttpStatus.BAD_REQUEST, Refusals.EVENT_NAME_INVALID, problem);
        }
        if (channel.startsWith("private-encrypted-") && !encryption) {
            return PusherAuthController.error(
                    request,
                    HttpStatus.BAD_REQUEST,
                    Refusals.ENCRYPTION_NOT_CONFIGURED,
                    "encrypted channels are not enabled on this server: it has no encryption master key");
        }
        Pusher client = pusher.getIfAvailable();
        if (client == null) {
            return PusherAuthController.error(
                    request,
                    HttpStatus.SERVICE_UNAVAILABLE,
                    Refusals.PUSHER_NOT_CONFIGURED,
                    "Pusher credentials are not configured");
        }
        Object payload = fields.get("payload");
        if (payload == null) {
            Map<String, Object> defaults = new LinkedHashMap<>();
            defaults.put("message", "Switchboard test event");
            defaults.put("ts", clock.instant().toString());
            payload = defaults;
        }
        String eventId = "test-" + UUID.randomUUID();
        Result result = client.trigger(channel, event, JSON.writeValueAsString(payload));
        Verdict verdict = Verdict.of(result);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("channel", channel);
        answer.put("event", event);
        answer.put("event_id", eventId);
        answer.put("delivered", verdict.delivered());
        answer.put("status", result.getStatus().name());
        if (!verdict.delivered()) {
            answer.put("http_status", verdict.httpStatus());
            answer.put("message", verdict.message());
            Refusals.tag(request, Refusals.PUSHER_REFUSED);
        }
        return ResponseEntity.status(verdict.delivered() ? HttpStatus.OK : HttpStatus.BAD_GATEWAY)
                .contentType(MediaType.APPLICATION_JSON)
                .body(answer);
    }

    /**
     * Pusher's verdict on one trigger. pusher-http-java reads only the HTTP status; Soketi answers every API error
     * with 200 and a body {@code {"error": "...", "code": N}} (field notes), so a 2xx whose body carries
     * {@code error} is a refusal too, with the body's code as its status.
     */
    record Verdict(boolean delivered, Integer httpStatus, String message) {

        static Verdict of(Result result) {
            if (result.getStatus() != Result.Status.SUCCESS) {
                return new Verdict(false, result.getHttpStatus(), result.getMessage());
            }
            JsonNode body = parse(result.getMessage());
            if (body != null && body.isObject() && body.has("error")) {
                JsonNode code = body.get("code");
                return new Verdict(
                        false,
                        code != null && code.canConvertToInt() ? code.asInt() : result.getHttpStatus(),
                        body.get("error").asString());
            }
            return new Verdict(true, result.getHttpStatus(), null);
        }

        private static JsonNode parse(String text) {
            if (text == null || text.isBlank()) {
                return null;
            }
            try {
                return JSON.readTree(text);
            } catch (JacksonException e) {
                return null;
            }
        }
    }
}
