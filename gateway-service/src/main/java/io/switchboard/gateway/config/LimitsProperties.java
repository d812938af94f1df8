package io.switchboard.gateway.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Bounds on the public API ({@code switchboard.limits.*}); a request over one is refused before it costs anything.
 *
 * @param authBody the largest body of {@code /auth} and {@code /user-auth} (and any other public path but the test
 *     endpoint), declared or streamed; above it 413. Default 4KB (a pusher-js auth body is under 200 bytes); env
 *     {@code SWITCHBOARD_AUTH_MAX_BODY}
 * @param testBody the largest body of the test endpoint; default 32KB (Pusher's own limit is 10 KB of data); env
 *     {@code SWITCHBOARD_TEST_MAX_BODY}
 * @param perCallerRequests auth attempts one verified caller (the token's issuer and subject) may make per
 *     {@code perCallerPeriod}; above it 429 with Retry-After. Default 120; env {@code SWITCHBOARD_RATE_PER_CALLER}
 * @param perCallerPeriod default 10s; env {@code SWITCHBOARD_RATE_PER_CALLER_PERIOD}
 * @param perAddressRequests requests one client address (an IPv6 /64) may make to the public API per
 *     {@code perAddressPeriod}, verified or not; default 600 (a NAT'ed office shares one address); env
 *     {@code SWITCHBOARD_RATE_PER_ADDRESS}
 * @param perAddressPeriod default 10s; env {@code SWITCHBOARD_RATE_PER_ADDRESS_PERIOD}
 * @param trackedKeys how many callers and how many addresses are tracked at once (least recently used beyond it are
 *     forgotten, a few hundred bytes each); default 100000 each; env {@code SWITCHBOARD_RATE_TRACKED_KEYS}
 */
@ConfigurationProperties("switchboard.limits")
public record LimitsProperties(
        @DefaultValue("4KB") DataSize authBody,
        @DefaultValue("32KB") DataSize testBody,
        @DefaultValue("120") int perCallerRequests,
        @DefaultValue("10s") Duration perCallerPeriod,
        @DefaultValue("600") int perAddressRequests,
        @DefaultValue("10s") Duration perAddressPeriod,
        @DefaultValue("100000") long trackedKeys) {

    public LimitsProperties {
        positive(authBody, "switchboard.limits.auth-body (SWITCHBOARD_AUTH_MAX_BODY)");
        positive(testBody, "switchboard.limits.test-body (SWITCHBOARD_TEST_MAX_BODY)");
        if (authBody.toBytes() > 1024 * 1024 || testBody.toBytes() > 1024 * 1024) {
            throw new IllegalArgumentException("switchboard.limits.auth-body and test-body are held in memory while"
                    + " checked: at most 1MB each, not " + authBody + " and " + testBody);
        }
        atLeastOne(perCallerRequests, "switchboard.limits.per-caller-requests (SWITCHBOARD_RATE_PER_CALLER)");
        atLeastOne(perAddressRequests, "switchboard.limits.per-address-requests (SWITCHBOARD_RATE_PER_ADDRESS)");
        positive(perCallerPeriod, "switchboard.limits.per-caller-period (SWITCHBOARD_RATE_PER_CALLER_PERIOD)");
        positive(perAddressPeriod, "switchboard.limits.per-address-period (SWITCHBOARD_RATE_PER_ADDRESS_PERIOD)");
        if (trackedKeys < 1000) {
            throw new IllegalArgumentException(
                    "switchboard.limits.tracked-keys (SWITCHBOARD_RATE_TRACKED_KEYS) must be at least 1000, not "
                            + trackedKeys);
        }
    }

    private static void positive(DataSize size, String setting) {
        if (size == null || size.toBytes() < 1) {
            throw new IllegalArgumentException(setting + " must be positive, not " + size);
        }
    }

    private static void positive(Duration duration, String setting) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(setting + " must be positive, not " + duration);
        }
    }

    private static void atLeastOne(int n, String setting) {
        if (n < 1) {
            throw new IllegalArgumentException(setting + " must be at least 1, not " + n);
        }
    }
}
