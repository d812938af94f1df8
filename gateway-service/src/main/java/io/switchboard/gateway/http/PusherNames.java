package io.switchboard.gateway.http;

import java.util.regex.Pattern;

/**
 * Pusher's rules for the names a request carries, checked before anything else looks at them (Pusher's own
 * documentation; pusher-http-java checks the characters and the socket id but not the lengths). Each check returns
 * null when the name is fine, otherwise a message that is safe to return to the caller.
 */
final class PusherNames {

    static final int MAX_CHANNEL_LENGTH = 164;
    static final int MAX_EVENT_LENGTH = 200;

    private static final Pattern CHANNEL = Pattern.compile("[A-Za-z0-9_\\-=@,.;]+");
    // as pusher-http-java's Prerequisites.isValidSocketId and Pusher's servers: digits, a dot, digits
    private static final Pattern SOCKET_ID = Pattern.compile("\\d+\\.\\d+");

    private PusherNames() {}

    static String channelProblem(String channel) {
        if (channel == null || channel.isEmpty()) {
            return "channel_name is required";
        }
        if (channel.length() > MAX_CHANNEL_LENGTH) {
            return "a channel name is at most " + MAX_CHANNEL_LENGTH + " characters (Pusher's limit)";
        }
        if (!CHANNEL.matcher(channel).matches()) {
            return "a channel name takes only A-Z a-z 0-9 _ - = @ , . ; (Pusher's rules)";
        }
        return null;
    }

    static String eventProblem(String event) {
        if (event == null || event.isEmpty()) {
            return "event must not be empty";
        }
        if (event.startsWith("pusher:") || event.startsWith("pusher_internal:")) {
            return "event names beginning with pusher: or pusher_internal: are reserved by Pusher";
        }
        if (event.length() > MAX_EVENT_LENGTH) {
            return "an event name is at most " + MAX_EVENT_LENGTH + " characters (Pusher's limit)";
        }
        return null;
    }

    static String socketIdProblem(String socketId) {
        if (socketId == null || socketId.isEmpty()) {
            return "socket_id is required";
        }
        return SOCKET_ID.matcher(socketId).matches()
                ? null
                : "socket_id must be digits, a dot, digits (Pusher's format)";
    }
}
