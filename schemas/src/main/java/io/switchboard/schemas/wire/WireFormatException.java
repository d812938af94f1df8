package io.switchboard.schemas.wire;

import org.apache.kafka.common.errors.SerializationException;

/** Bytes that are not a record in the Confluent wire format, with a reason code a dead-letter header can carry. */
public class WireFormatException extends SerializationException {

    /** Why the bytes could not be read. */
    public enum Reason {
        /** No bytes at all (a tombstone or an empty value). */
        EMPTY,
        /** Byte 0 is not the magic byte 0: not framed by a schema registry serializer. */
        NOT_FRAMED,
        /** Fewer bytes than the frame or the record needs. */
        TRUNCATED,
        /** The schema id is not known to the registry. */
        UNKNOWN_SCHEMA_ID,
        /** The frame is fine but the body is not Avro of that schema. */
        NOT_AVRO,
        /**
         * The schema registry could not be reached, failed (5xx), asked to slow down (429) or refused the service's
         * credentials (401, 403): retried, never dead-lettered.
         */
        REGISTRY_UNAVAILABLE,
        /** The schema registry refused the request for good (another 4xx: an invalid or incompatible schema). */
        REGISTRY_REFUSED
    }

    private final Reason reason;

    public WireFormatException(Reason reason, String message) {
        this(reason, message, null);
    }

    public WireFormatException(Reason reason, String message, Throwable cause) {
        super(reason + ": " + message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    /**
     * True when the bytes may be fine and only their decoding failed for now (the registry could not be reached):
     * such a record is retried, never dead-lettered.
     */
    public boolean isTransient() {
        return reason == Reason.REGISTRY_UNAVAILABLE;
    }
}
