package io.switchboard.gateway.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * Why the public API refused a request, as a short code: whoever refuses (a filter, an entry point, a controller)
 * tags the request with {@link #tag}, and {@link RefusalMetricsFilter} counts it once in
 * {@code switchboard_gateway_auth_refused_total{endpoint, reason}}. The channel policy's own codes are
 * {@link io.switchboard.gateway.auth.Refusal#tag()}; the codes below are the HTTP surface's. Every code is a constant,
 * so the metric's label set stays bounded whatever callers send.
 */
public final class Refusals {

    /** No bearer token where one is required (Spring Security's entry point). */
    public static final String NO_TOKEN = "no_token";
    /** A well-signed bearer token past its {@code exp} (plus the clock skew): a stale tab, 401. */
    public static final String TOKEN_EXPIRED = "token_expired";
    /** A bearer token whose signature does not verify, signed by a key we do not know, or unsigned: forged, 401. */
    public static final String TOKEN_SIGNATURE = "token_signature";
    /** A well-signed bearer token whose claims fail: {@code aud}, {@code iss}, {@code sub} or {@code exp} missing, 401. */
    public static final String TOKEN_CLAIMS = "token_claims";
    /** A bearer token that is not a readable JWT, or a malformed {@code Authorization} header, 401. */
    public static final String TOKEN_MALFORMED = "token_malformed";
    /** The test endpoint or the management surface without the operator token. */
    public static final String OPERATOR_TOKEN_REQUIRED = "operator_token_required";
    /** A bearer token that is not the operator token. */
    public static final String OPERATOR_TOKEN_INVALID = "operator_token_invalid";
    /** A body above the path's limit (413), declared or streamed. */
    public static final String BODY_TOO_LARGE = "body_too_large";
    /** Too many attempts from one verified caller (429). */
    public static final String RATE_LIMITED_CALLER = "rate_limited_caller";
    /** Too many attempts from one client address (429). */
    public static final String RATE_LIMITED_ADDRESS = "rate_limited_address";
    /** A missing or malformed field (400). */
    public static final String BAD_REQUEST = "bad_request";
    /** A socket id that is not Pusher's {@code digits.digits} (400). */
    public static final String SOCKET_ID_INVALID = "socket_id_invalid";
    /** A channel name outside Pusher's rules: characters, 164 characters at most, a known prefix (400). */
    public static final String NAME_INVALID = "name_invalid";
    /** An event name that is Pusher's own ({@code pusher:}, {@code pusher_internal:}) or over 200 characters. */
    public static final String EVENT_NAME_INVALID = "event_name_invalid";
    /** A {@code private-encrypted-} channel while no encryption master key is configured (400). */
    public static final String ENCRYPTION_NOT_CONFIGURED = "encryption_not_configured";
    /** No Pusher app configured (503). */
    public static final String PUSHER_NOT_CONFIGURED = "pusher_not_configured";
    /** A CORS request from an origin that is not allowed (403 from Spring's CORS processor). */
    public static final String CORS_ORIGIN_REFUSED = "cors_origin_refused";
    /** The test endpoint's publish was refused by Pusher (502). */
    public static final String PUSHER_REFUSED = "pusher_refused";
    /** A request for the loopback-open console with a Host that is not loopback (DNS rebinding), 403. */
    public static final String HOST_NOT_LOOPBACK = "host_not_loopback";

    static final String ATTRIBUTE = Refusals.class.getName() + ".reason";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Refusals() {}

    /** Records why the request is refused; the first tag wins (the component that refused first knows best). */
    public static void tag(HttpServletRequest request, String reason) {
        if (request.getAttribute(ATTRIBUTE) == null) {
            request.setAttribute(ATTRIBUTE, reason);
        }
    }

    /** The tag, or null. */
    static String reason(HttpServletRequest request) {
        return request.getAttribute(ATTRIBUTE) instanceof String s ? s : null;
    }

    /**
     * Tags the request and writes {@code {"error": message}} with the status, straight to the response (not through
     * {@code sendError}, whose error dispatch would run the security chain a second time).
     */
    public static void refuse(
            HttpServletRequest request, HttpServletResponse response, int status, String reason, String message)
            throws IOException {
        tag(request, reason);
        response.setStatus(status);
        response.setContentType("application/json");
        // a declared length: a client still sending a body it was refused can tell where the answer ends
        byte[] body = JSON.writeValueAsBytes(Map.of("error", message));
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        response.flushBuffer();
    }
}
