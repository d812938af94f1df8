package io.switchboard.router.routing;

/** An event that cannot be routed, for a reason that retrying will not change: it goes to the dead-letter topic. */
public class RoutingException extends RuntimeException {

    /** The reason code carried in the dead-letter record's {@code switchboard-reason} header. */
    public enum Reason {
        PAYLOAD_NOT_JSON,
        PAYLOAD_NOT_OBJECT,
        MISSING_TYPE,
        /** The type starts with {@code pusher:} or {@code pusher_internal:}: Pusher reserves those names. */
        RESERVED_EVENT_NAME,
        /** The type is longer than Pusher's 200 characters for an event name. */
        EVENT_NAME_TOO_LONG,
        UNSAFE_PLACEHOLDER,
        INVALID_CHANNEL,
        TOO_MANY_CHANNELS
    }

    private final Reason reason;

    public RoutingException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
