package io.switchboard.gateway.http;

import com.pusher.rest.Pusher;
import com.pusher.rest.data.PresenceUser;
import io.switchboard.gateway.auth.Caller;
import io.switchboard.gateway.auth.ChannelAuthorizer;
import io.switchboard.gateway.auth.Refusal;
import io.switchboard.gateway.config.PusherProperties;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/realtime/pusher/auth} (contracts section 7): signs private, presence and
 * {@code private-encrypted-} channels for pusher-js and Laravel Echo, form-encoded or JSON, when the
 * {@link ChannelAuthorizer} allows the caller. {@code socket_id} and {@code channel_name} come from the body only, each
 * at most once ({@link BodyFields}: 400 otherwise). Pusher's rules for the socket id and the channel name (characters,
 * 164 characters) are checked first (400), so no owner is asked about a name Pusher would refuse. Signing is
 * pusher-http-java's: with {@code PUSHER_ENCRYPTION_MASTER_KEY_BASE64} set, an encrypted channel's answer carries
 * its {@code shared_secret}; without it, encrypted channels are refused with 400. Presence members get their
 * channel_data from the caller's claims.
 */
@RestController
@RequestMapping("/api/realtime/pusher")
public class PusherAuthController {

    private static final String ENCRYPTED_PREFIX = "private-encrypted-";
    static final String SOCKET_ID = "socket_id";
    static final String CHANNEL_NAME = "channel_name";
    private static final List<String> FIELDS = List.of(SOCKET_ID, CHANNEL_NAME);

    private final ObjectProvider<Pusher> pusher;
    private final ChannelAuthorizer authorizer;
    private final boolean encryption;

    public PusherAuthController(
            ObjectProvider<Pusher> pusher, ChannelAuthorizer authorizer, PusherProperties pusherProperties) {
        this.pusher = pusher;
        this.authorizer = authorizer;
        this.encryption = pusherProperties.encryptionEnabled();
    }

    @PostMapping(path = "/auth", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    public ResponseEntity<Object> authorizeForm(@AuthenticationPrincipal Jwt jwt, HttpServletRequest request)
            throws IOException {
        return authorize(BodyFields.form(request, FIELDS), caller(jwt), request);
    }

    @PostMapping(path = "/auth", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Object> authorizeJson(@AuthenticationPrincipal Jwt jwt, HttpServletRequest request)
            throws IOException {
        return authorize(BodyFields.json(request, FIELDS), caller(jwt), request);
    }

    /** The verified caller, or null when the auth mode does not authenticate callers. */
    static Caller caller(Jwt jwt) {
        return jwt == null ? null : new Caller(jwt.getSubject(), jwt.getClaims(), jwt.getTokenValue());
    }

    private ResponseEntity<Object> authorize(BodyFields fields, Caller caller, HttpServletRequest req) {
        if (fields.problem() != null) {
            return error(req, HttpStatus.BAD_REQUEST, Refusals.BAD_REQUEST, fields.problem());
        }
        String socketId = fields.get(SOCKET_ID);
        String channel = fields.get(CHANNEL_NAME);
        String problem = PusherNames.socketIdProblem(socketId);
        if (problem != null) {
            return error(
                    req,
                    HttpStatus.BAD_REQUEST,
                    socketId == null ? Refusals.BAD_REQUEST : Refusals.SOCKET_ID_INVALID,
                    problem);
        }
        problem = PusherNames.channelProblem(channel);
        if (problem != null) {
            return error(
                    req,
                    HttpStatus.BAD_REQUEST,
                    channel == null ? Refusals.BAD_REQUEST : Refusals.NAME_INVALID,
                    problem);
        }
        if (!channel.startsWith("private-") && !channel.startsWith("presence-")) {
            return error(
                    req,
                    HttpStatus.BAD_REQUEST,
                    Refusals.NAME_INVALID,
                    "only private-, private-encrypted- and presence- channels need authorization");
        }
        Pusher signer = pusher.getIfAvailable();
        if (signer == null) {
            return error(
                    req,
                    HttpStatus.SERVICE_UNAVAILABLE,
                    Refusals.PUSHER_NOT_CONFIGURED,
                    "Pusher credentials are not configured");
        }
        if (channel.startsWith(ENCRYPTED_PREFIX) && !encryption) {
            return error(
                    req,
                    HttpStatus.BAD_REQUEST,
                    Refusals.ENCRYPTION_NOT_CONFIGURED,
                    "encrypted channels are not enabled on this server: it has no encryption master key");
        }
        ChannelAuthorizer.Decision decision = authorizer.decide(channel, caller);
        if (!decision.allowed()) {
            HttpStatus status =
                    decision.refusal() == Refusal.NAME_INVALID ? HttpStatus.BAD_REQUEST : HttpStatus.FORBIDDEN;
            return error(req, status, decision.refusal().tag(), decision.reason());
        }
        try {
            // pusher-http-java checks the socket id and the channel name again, and adds an encrypted channel's
            // shared_secret (derived from the master key and the channel name)
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
            return error(req, HttpStatus.BAD_REQUEST, Refusals.BAD_REQUEST, e.getMessage());
        }
    }

    static ResponseEntity<Object> error(HttpServletRequest request, HttpStatus status, String reason, String message) {
        Refusals.tag(request, reason);
        return ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("error", message));
    }
}
