package io.switchboard.publisher.publish;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import org.asynchttpclient.filter.FilterContext;
import org.asynchttpclient.filter.ResponseFilter;

/**
 * Pusher's {@code Retry-After}: when an answer carries one (429, 503), no request is sent before it has passed.
 * Pusher limits an app as a whole, so the wait applies to every request, not just the one that was told. Both forms
 * of the header are read (seconds, or an HTTP date); a wait longer than the cap is cut to the cap.
 *
 * <p>pusher-http-java's {@code Result} drops response headers, so the header is read by a response filter on its
 * HTTP client ({@link #responseFilter()}).
 */
public final class RetryAfterGate {

    private final Clock clock;
    private final Duration cap;
    private volatile Instant closedUntil = Instant.EPOCH;

    public RetryAfterGate(Clock clock, Duration cap) {
        this.clock = clock;
        this.cap = cap;
    }

    /** Takes a Retry-After header value; ignores one that cannot be read. */
    public void retryAfter(String value) {
        Duration wait = parse(value, clock.instant());
        if (wait == null || wait.isNegative()) {
            return;
        }
        Instant until = clock.instant().plus(wait.compareTo(cap) > 0 ? cap : wait);
        synchronized (this) {
            if (until.isAfter(closedUntil)) {
                closedUntil = until;
            }
        }
    }

    /** How long to wait before the next request may go; zero when it may go now. */
    public Duration remaining() {
        Duration left = Duration.between(clock.instant(), closedUntil);
        return left.isNegative() ? Duration.ZERO : left;
    }

    public ResponseFilter responseFilter() {
        return new ResponseFilter() {
            @Override
            public <T> FilterContext<T> filter(FilterContext<T> context) {
                if (context.getResponseHeaders() != null) {
                    String value = context.getResponseHeaders().get("Retry-After");
                    if (value != null) {
                        retryAfter(value);
                    }
                }
                return context;
            }
        };
    }

    static Duration parse(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        try {
            return Duration.ofSeconds(Long.parseLong(v));
        } catch (NumberFormatException notSeconds) {
            try {
                return Duration.between(
                        now,
                        ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME)
                                .toInstant());
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }
}
