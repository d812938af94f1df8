package io.switchboard.relay.relay;

/** An outbox row that can never become a valid RealtimeEvent: it is dead-lettered, never retried. */
public class BadRowException extends RuntimeException {

    public enum Reason {
        MISSING_TYPE,
        TYPE_TOO_LONG,
        PAYLOAD_NOT_OBJECT,
        CHANNELS_NOT_STRING_ARRAY,
        HEADERS_NOT_STRING_MAP,
        ROW_TOO_LARGE
    }

    private final Reason reason;

    public BadRowException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
