package io.switchboard.publisher.auth;

import jakarta.servlet.http.HttpServletRequest;

/** Decides whether the caller of the auth endpoint may read a private or presence channel. */
@FunctionalInterface
public interface ChannelAuthorizer {

    /** The decision, with a reason that is safe to return to the caller. */
    record Decision(boolean allowed, String reason) {
        public static Decision allow() {
            return new Decision(true, "");
        }

        public static Decision deny(String reason) {
            return new Decision(false, reason);
        }
    }

    Decision decide(String channel, HttpServletRequest request);
}
