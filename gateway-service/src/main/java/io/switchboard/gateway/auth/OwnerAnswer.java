package io.switchboard.gateway.auth;

import java.util.Locale;
import java.util.Map;

/**
 * What asking an owning service came to.
 *
 * @param userInfo for {@link Outcome#ALLOWED}, the owner's {@code user_info} for a presence member, or null
 */
public record OwnerAnswer(Outcome outcome, Map<String, Object> userInfo) {

    public enum Outcome {
        /** {@code 200 {"allow": true}}. */
        ALLOWED,
        /** {@code 200 {"allow": false}}. */
        REFUSED,
        /** Anything outside the contract: another status or body, a connection error. */
        ERROR,
        /** No answer within the timeout. */
        TIMEOUT,
        /** The owner's bulkhead was full; the owner was not asked. */
        BUSY;

        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public OwnerAnswer {
        userInfo = userInfo == null ? null : Map.copyOf(userInfo);
    }

    public static OwnerAnswer of(Outcome outcome) {
        return new OwnerAnswer(outcome, null);
    }

    /** Only the owner's own verdicts are reused: an error, a timeout or a full bulkhead says nothing of the caller. */
    public boolean cacheable() {
        return outcome == Outcome.ALLOWED || outcome == Outcome.REFUSED;
    }
}
