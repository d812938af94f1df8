package io.switchboard.gateway.http;

import io.switchboard.gateway.auth.AuthMode;
import io.switchboard.gateway.auth.Caller;
import io.switchboard.gateway.auth.Refusal;
import io.switchboard.gateway.auth.UserIds;
import io.switchboard.gateway.config.AuthProperties;
import io.switchboard.gateway.config.PusherProperties;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /api/realtime/pusher/user-auth} (contracts section 7): Pusher user authentication, as pusher-js's
 * {@code userAuthentication} calls it for {@code pusher:signin} (form-encoded or JSON {@code socket_id}, from the body
 * only and at most once: {@link BodyFields}). The user is
 * the verified token's: {@code user_data = {"id": user id, "user_info": {the presence-info claims the token has}}}
 * ({@code switchboard.auth.user-id}, the same id as a presence member's), signed
 * by {@link UserAuthSigner}; the answer is {@code {"auth", "user_data"}}. Only in {@code jwt} mode: in {@code deny} and
 * {@code names-only} there is no user, so every sign-in is refused (403).
 */
@RestController
@RequestMapping("/api/realtime/pusher")
public class UserAuthController {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<String> FIELDS = List.of(PusherAuthController.SOCKET_ID);

    private final AuthMode mode;
    private final List<String> userInfoClaims;
    private final UserAuthSigner signer;
    private final UserIds userIds;

    public UserAuthController(AuthProperties auth, PusherProperties pusher) {
        this.mode = auth.mode();
        this.userInfoClaims = List.copyOf(auth.presenceInfoClaims());
        this.signer = pusher.configured() ? new UserAuthSigner(pusher.key(), pusher.secret()) : null;
        this.userIds = auth.userIds();
    }

    @PostMapping(path = "/user-auth", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    public ResponseEntity<Object> signInForm(@AuthenticationPrincipal Jwt jwt, HttpServletRequest request)
            throws IOException {
        return signIn(BodyFields.form(request, FIELDS), jwt, request);
    }

    @PostMapping(path = "/user-auth", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Object> signInJson(@AuthenticationPrincipal Jwt jwt, HttpServletRequest request)
            throws IOException {
        return signIn(BodyFields.json(request, FIELDS), jwt, request);
    }

    private ResponseEntity<Object> signIn(BodyFields fields, Jwt jwt, HttpServletRequest request) {
        if (fields.problem() != null) {
            return PusherAuthController.error(request, HttpStatus.BAD_REQUEST, Refusals.BAD_REQUEST, fields.problem());
        }
        String socketId = fields.get(PusherAuthController.SOCKET_ID);
        String problem = PusherNames.socketIdProblem(socketId);
        if (problem != null) {
            return PusherAuthController.error(
                    request,
                    HttpStatus.BAD_REQUEST,
                    socketId == null ? Refusals.BAD_REQUEST : Refusals.SOCKET_ID_INVALID,
                    problem);
        }
        if (mode != AuthMode.JWT || jwt == null) {
            return PusherAuthController.error(
                    request,
                    HttpStatus.FORBIDDEN,
                    Refusal.MODE_REFUSES.tag(),
                    "user authentication needs verified callers (SWITCHBOARD_AUTH_MODE=jwt)");
        }
        String subject = jwt.getSubject();
        if (subject == null || subject.isBlank()) {
            return PusherAuthController.error(
                    request, HttpStatus.FORBIDDEN, Refusal.NO_SUBJECT.tag(), "the token has no sub to sign in as");
        }
        // the same id as a presence member's user_id (switchboard.auth.user-id: {sub}, or {org_id}:{sub} across
        // tenants)
        Caller caller = PusherAuthController.caller(jwt);
        String userId = userIds.of(caller);
        if (userId == null) {
            return PusherAuthController.error(
                    request, HttpStatus.FORBIDDEN, Refusal.NO_USER_ID.tag(), userIds.problem(caller));
        }
        if (signer == null) {
            return PusherAuthController.error(
                    request,
                    HttpStatus.SERVICE_UNAVAILABLE,
                    Refusals.PUSHER_NOT_CONFIGURED,
                    "Pusher credentials are not configured");
        }
        Map<String, Object> userInfo = new LinkedHashMap<>();
        for (String claim : userInfoClaims) {
            Object value = jwt.getClaims().get(claim);
            if (value != null) {
                userInfo.put(claim, value);
            }
        }
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("id", userId);
        user.put("user_info", userInfo);
        String userData = JSON.writeValueAsString(user);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("auth", signer.sign(socketId, userData));
        answer.put("user_data", userData);
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(answer);
    }
}
