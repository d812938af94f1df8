package io.switchboard.relay.relay;

/**
 * An outbox row that can never become a record on Kafka: it is dead-lettered with its reason, never retried. The
 * mapper throws it for rows that cannot be events; the sink for records Kafka refuses, or would refuse, for good.
 */
public class BadRowException extends RuntimeException {

    /** Why a row was dead-lettered: the {@code switchboard-reason} header and the metrics' {@code reason} label. */
    public enum Reason {
        /** {@code type} is null or blank. */
        MISSING_TYPE,
        /** {@code type} is over Pusher's 200 characters. */
        TYPE_TOO_LONG,
        /** {@code payload} is not a JSON object. */
        PAYLOAD_NOT_OBJECT,
        /** {@code channels} is not an array of strings. */
        CHANNELS_NOT_STRING_ARRAY,
        /** {@code headers} is not an object of strings. */
        HEADERS_NOT_STRING_MAP,
        /** The serialized record is over {@code max-record-bytes}, or Kafka refused it as too large. */
        ROW_TOO_LARGE,
        /** Kafka refused the record for good for another reason (an invalid record). */
        RECORD_REFUSED
    }

    private final Reason reason;

    public BadRowException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public BadRowException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
