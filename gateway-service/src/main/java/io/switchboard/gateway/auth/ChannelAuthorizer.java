package io.switchboard.gateway.auth;

import java.util.Map;

/** Decides whether a caller of the auth endpoint may read a private or presence channel. */
@FunctionalInterface
public interface ChannelAuthorizer {

    /**
     * The decision, with a reason that is safe to return to the caller.
     *
     * @param presence for a presence channel, the member's {@code user_id} and {@code user_info}; else null
     */
    record Decision(boolean allowed, String reason, Presence presence) {
        public static Decision allow() {
            return new Decision(true, "", null);
        }

        public static Decision deny(String reason) {
            return new Decision(false, reason, null);
        }
    }

    /** What Pusher shows other members of a presence channel. */
    record Presence(String userId, Map<String, Object> userInfo) {}

    /** @param caller the verified caller, or null when the mode does not authenticate callers */
    Decision decide(String channel, Caller caller);
}
