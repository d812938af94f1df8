package io.switchboard.gateway.auth;

import java.time.Instant;
import java.util.Map;

/**
 * Who asks for a channel: the subject and claims of a verified JWT, and the token itself (forwarded to an owning
 * service's authorizer, never logged).
 */
public record Caller(String subject, Map<String, Object> claims, String token) {

    public Caller {
        claims = Map.copyOf(claims);
    }

    /** A claim as text (strings as they are, numbers in decimal), or null when absent or of another type. */
    public String claim(String name) {
        if ("sub".equals(name)) {
            return subject;
        }
        Object value = claims.get(name);
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Integer || value instanceof Long) {
            return value.toString();
        }
        return null;
    }

    /**
     * The token's {@code exp}: an {@link Instant} as Spring Security converts it, or epoch seconds; null when absent.
     */
    public Instant expiresAt() {
        Object exp = claims.get("exp");
        if (exp instanceof Instant instant) {
            return instant;
        }
        if (exp instanceof Number seconds) {
            return Instant.ofEpochSecond(seconds.longValue());
        }
        return null;
    }

    @Override
    public String toString() {
        return "Caller[" + subject + "]"; // never the token
    }
}
