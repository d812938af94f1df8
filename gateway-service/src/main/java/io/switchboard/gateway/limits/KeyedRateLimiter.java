package io.switchboard.gateway.limits;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A rate limit per key (a caller, a client address): at most {@code limit} attempts per {@code period} for each key,
 * refused at once beyond it. Each key gets resilience4j's lock-free {@link AtomicRateLimiter} (timeout zero: a
 * refused attempt never waits, so no request thread is held), kept in a Caffeine cache bounded by {@code maxKeys}, so
 * an attacker who varies the key cannot grow the memory. An entry idle for a whole period is dropped: its limiter
 * would have refilled by then anyway, so dropping it forgets nothing. resilience4j's limiter keeps its own
 * {@code System.nanoTime()} cycles and takes no {@code Clock}; tests use long periods instead of moving time.
 */
public final class KeyedRateLimiter {

    private final String name;
    private final RateLimiterConfig config;
    private final Cache<String, AtomicRateLimiter> limiters;

    public KeyedRateLimiter(String name, int limit, Duration period, long maxKeys) {
        if (limit < 1) {
            throw new IllegalArgumentException(name + ": the limit must be at least 1, not " + limit);
        }
        if (period == null || period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException(name + ": the period must be positive, not " + period);
        }
        this.name = name;
        this.config = RateLimiterConfig.custom()
                .limitForPeriod(limit)
                .limitRefreshPeriod(period)
                .timeoutDuration(Duration.ZERO)
                .build();
        this.limiters = Caffeine.newBuilder()
                .maximumSize(maxKeys)
                .expireAfterAccess(period)
                .build();
    }

    /**
     * Takes one permit for the key.
     *
     * @return empty when admitted; otherwise how long until the key's next permit (for {@code Retry-After})
     */
    public Optional<Duration> tryAcquire(String key) {
        Objects.requireNonNull(key, "key");
        AtomicRateLimiter limiter = limiters.get(key, k -> new AtomicRateLimiter(name, config));
        if (limiter.acquirePermission()) {
            return Optional.empty();
        }
        return Optional.of(
                Duration.ofNanos(Math.max(0, limiter.getDetailedMetrics().getNanosToWait())));
    }

    /** {@code Retry-After} in whole seconds, rounded up, at least 1. */
    public static long retryAfterSeconds(Duration wait) {
        long seconds = wait.toSeconds() + (wait.toNanosPart() > 0 ? 1 : 0);
        return Math.max(1, seconds);
    }
}
