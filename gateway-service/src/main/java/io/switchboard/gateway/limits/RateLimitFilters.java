package io.switchboard.gateway.limits;

import io.switchboard.gateway.http.RefusalCors;
import io.switchboard.gateway.http.Refusals;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Function;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.cors.CorsUtils;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The two rate limits on auth attempts, answering {@code 429} with {@code Retry-After} (seconds) when exceeded:
 * {@link #perAddress} before anything else looks at the request (it also catches forged-token storms, whose tokens
 * differ each time), and {@link #perCaller} right after Spring Security verified the bearer token, keyed on the
 * token's issuer and subject (a user's several tabs and refreshed tokens share one budget), or on the token's SHA-256
 * when it has no subject.
 *
 * <p>The per-address limit runs before Spring Security's CORS filter, so its 429 carries the CORS headers an allowed
 * origin would get ({@link RefusalCors}: {@code Access-Control-Allow-Origin}, and {@code Retry-After} exposed), and
 * it lets CORS preflights through uncounted: a preflight carries no token and no body and is answered by the CORS
 * filter, and a refused preflight would turn the 429 that follows into a network error in the browser. The
 * per-caller limit runs after the CORS filter, which has already added those headers.
 */
public final class RateLimitFilters {

    private RateLimitFilters() {}

    public static OncePerRequestFilter perAddress(KeyedRateLimiter limiter, RefusalCors cors) {
        return new Limit(
                limiter,
                request -> CorsUtils.isPreFlightRequest(request) ? null : ClientAddress.key(request.getRemoteAddr()),
                Refusals.RATE_LIMITED_ADDRESS,
                "too many auth attempts from this address",
                cors);
    }

    public static OncePerRequestFilter perCaller(KeyedRateLimiter limiter) {
        return new Limit(
                limiter, RateLimitFilters::callerKey, Refusals.RATE_LIMITED_CALLER, "too many auth attempts", null);
    }

    /** The verified caller's key, or null (not limited here) when the request carries no verified token. */
    static String callerKey(HttpServletRequest request) {
        Authentication authentication =
                SecurityContextHolder.getContextHolderStrategy().getContext().getAuthentication();
        if (!(authentication instanceof JwtAuthenticationToken jwt)) {
            return null;
        }
        String subject = jwt.getToken().getSubject();
        if (subject == null || subject.isEmpty()) {
            return "token " + sha256(jwt.getToken().getTokenValue());
        }
        Object issuer = jwt.getToken().getClaims().get("iss");
        return "sub " + (issuer == null ? "" : issuer) + " " + subject;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    private static final class Limit extends OncePerRequestFilter {
        private final KeyedRateLimiter limiter;
        private final Function<HttpServletRequest, String> key;
        private final String reason;
        private final String message;
        private final RefusalCors cors;

        /** @param cors the CORS headers of a refusal, or null where Spring's CORS filter already ran */
        Limit(
                KeyedRateLimiter limiter,
                Function<HttpServletRequest, String> key,
                String reason,
                String message,
                RefusalCors cors) {
            this.limiter = limiter;
            this.key = key;
            this.reason = reason;
            this.message = message;
            this.cors = cors;
        }

        @Override
        protected String getAlreadyFilteredAttributeName() {
            // one per limit: both are instances of this class, and each must run once
            return Limit.class.getName() + "." + reason + ".FILTERED";
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            String k = key.apply(request);
            Optional<Duration> wait = k == null ? Optional.empty() : limiter.tryAcquire(k);
            if (wait.isPresent()) {
                response.setHeader(
                        HttpHeaders.RETRY_AFTER, Long.toString(KeyedRateLimiter.retryAfterSeconds(wait.get())));
                if (cors != null) {
                    cors.addHeaders(request, response);
                }
                Refusals.refuse(request, response, 429, reason, message);
                return;
            }
            chain.doFilter(request, response);
        }
    }
}
