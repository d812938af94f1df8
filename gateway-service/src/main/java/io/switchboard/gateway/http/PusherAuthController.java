package io.switchboard.gateway.http;

import com.pusher.rest.Pusher;
import com.pusher.rest.data.PresenceUser;
import io.switchboard.gateway.auth.Caller;
import io.switchboard.gateway.auth.ChannelAuthorizer;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/realtime/pusher/auth} (contracts section 7): signs private and presence channels for pusher-js
 * and Laravel Echo, form-encoded or JSON, when the {@link ChannelAuthorizer} allows the caller. Signing is
 * pusher-http-java's; presence members get their channel_data from the caller's claims.
 */
@RestController
@RequestMapping("/api/realtime/pusher")
public class PusherAuthController {

    private final ObjectProvider<Pusher> pusher;
    private final ChannelAuthorizer authorizer;

    public PusherAuthController(ObjectProvider<Pusher> pusher, ChannelAuthorizer authorizer) {
        this.pusher = pusher;
        this.authorizer = authorizer;
    }

    @PostMapping(path = "/auth", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    public ResponseEntity<Object> authorizeForm(
            @RequestParam(name = "socket_id", required = false) String socketId,
            @RequestParam(name = "channel_name", required = false) String channel,
            @AuthenticationPrincipal Jwt jwt) {
        return authorize(socketId, channel, caller(jwt));
    }

    @PostMapping(path = "/auth", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Object> authorizeJson(
            @RequestBody Map<String, Object> body, @AuthenticationPrincipal Jwt jwt) {
        return authorize(text(body.get("socket_id")), text(body.get("channel_name")), caller(jwt));
    }

    /** The verified caller, or null when the auth mode does not authenticate callers. */
    static Caller caller(Jwt jwt) {
        return jwt == null ? null : new Caller(jwt.getSubject(), jwt.getClaims(), jwt.getTokenValue());
    }

    private ResponseEntity<Object> authorize(String socketId, String channel, Caller caller) {
        if (socketId == null || channel == null) {
            return error(HttpStatus.BAD_REQUEST, "socket_id and channel_name are required");
        }
        if (!channel.startsWith("private-") && !channel.startsWith("presence-")) {
            return error(HttpStatus.BAD_REQUEST, "only private- and presence- channels need authorization");
        }
        if (channel.startsWith("private-encrypted-")) {
            return error(HttpStatus.BAD_REQUEST, "encrypted channels are not supported");
        }
        Pusher signer = pusher.getIfAvailable();
        if (signer == null) {
            return error(HttpStatus.SERVICE_UNAVAILABLE, "Pusher credentials are not configured");
        }
        ChannelAuthorizer.Decision decision = authorizer.decide(channel, caller);
        if (!decision.allowed()) {
            return error(HttpStatus.FORBIDDEN, decision.reason());
        }
        try {
            // pusher-http-java checks the socket id and the channel name before it signs
            String signed = decision.presence() == null
                    ? signer.authenticate(socketId, channel)
                    : signer.authenticate(
                            socketId,
                            channel,
                            new PresenceUser(
                                    decision.presence().userId(),
                                    decision.presence().userInfo()));
            return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(signed);
        } catch (IllegalArgumentException e) {
            return error(HttpStatus.BAD_REQUEST, e.getMessage());
        }
    }

    static ResponseEntity<Object> error(HttpStatus status, String message) {
        return ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("error", message));
    }

    private static String text(Object value) {
        return value instanceof String s ? s : null;
    }
}
