package io.switchboard.gateway.limits;

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
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The two rate limits on auth attempts, answering {@code 429} with {@code Retry-After} (seconds) when exceeded:
 * {@link #perAddress} before anything else looks at the request (it also catches forged-token storms, whose tokens
 * differ each time), and {@link #perCaller} right after Spring Security verified the bearer token, keyed on the
 * token's issuer and subject (a user's several tabs and refreshed tokens share one budget), or on the token's SHA-256
 * when it has no subject.
 */
public final class RateLimitFilters {

    private RateLimitFilters() {}

    public static OncePerRequestFilter perAddress(KeyedRateLimiter limiter) {
        return new Limit(
                limiter,
                request -> ClientAddress.key(request.getRemoteAddr()),
                Refusals.RATE_LIMITED_ADDRESS,
                "too many auth attempts from this address");
    }

    public static OncePerRequestFilter perCaller(KeyedRateLimiter limiter) {
        return new Limit(limiter, RateLimitFilters::callerKey, Refusals.RATE_LIMITED_CALLER, "too many auth attempts");
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

        Limit(KeyedRateLimiter limiter, Function<HttpServletRequest, String> key, String reason, String message) {
            this.limiter = limiter;
            this.key = key;
            this.reason = reason;
            this.message = message;
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
                Refusals.refuse(request, response, 429, reason, message);
                return;
            }
            chain.doFilter(request, response);
        }
    }
}
