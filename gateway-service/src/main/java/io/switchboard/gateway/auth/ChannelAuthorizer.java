package io.switchboard.gateway.auth;

import java.util.Map;
import java.util.Objects;

/** Decides whether a caller of the auth endpoint may read a private or presence channel. */
@FunctionalInterface
public interface ChannelAuthorizer {

    /**
     * The decision: allowed, or refused with a machine-readable {@link Refusal} and a reason that is safe to return to
     * the caller (it never carries a token or a claim's value beyond the caller's own channel).
     *
     * @param refusal why it was refused; null exactly when allowed
     * @param presence for an allowed presence channel, the member's {@code user_id} and {@code user_info}; else null
     */
    record Decision(boolean allowed, Refusal refusal, String reason, Presence presence) {

        public Decision {
            if (allowed != (refusal == null)) {
                throw new IllegalArgumentException("a decision has a refusal code exactly when it refuses");
            }
            reason = reason == null ? "" : reason;
        }

        public static Decision allow() {
            return new Decision(true, null, "", null);
        }

        public static Decision allow(Presence presence) {
            return new Decision(true, null, "", presence);
        }

        public static Decision deny(Refusal refusal, String reason) {
            return new Decision(false, Objects.requireNonNull(refusal, "refusal"), reason, null);
        }
    }

    /** What Pusher shows other members of a presence channel. */
    record Presence(String userId, Map<String, Object> userInfo) {}

    /** @param caller the verified caller, or null when the mode does not authenticate callers */
    Decision decide(String channel, Caller caller);
}
