package io.switchboard.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.schemas.wire.WireFormatException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.listener.ListenerExecutionFailedException;
import org.springframework.kafka.support.serializer.DeserializationException;

class DeadLetterHeadersTest {

    @Test
    void oneHeaderSetWithTheReasonInWordsCutToABound() {
        RecordHeaders headers = new RecordHeaders();
        DeadLetterHeaders.add(headers, "router", "PAYLOAD_NOT_JSON", "x".repeat(5000), "e-1");
        assertThat(DeadLetterHeaders.get(headers, DeadLetterHeaders.STAGE)).isEqualTo("router");
        assertThat(DeadLetterHeaders.get(headers, DeadLetterHeaders.REASON)).isEqualTo("PAYLOAD_NOT_JSON");
        assertThat(DeadLetterHeaders.get(headers, DeadLetterHeaders.REASON_TEXT))
                .hasSize(DeadLetterHeaders.MAX_TEXT);
        assertThat(DeadLetterHeaders.get(headers, DeadLetterHeaders.EVENT_ID)).isEqualTo("e-1");
        DeadLetterHeaders.add(headers, "router", "NOT_FRAMED", "again", null);
        assertThat(headers.headers(DeadLetterHeaders.REASON)).hasSize(1);
    }

    @Test
    void theReasonTextSkipsSpringKafkasGenericWrappers() {
        WireFormatException cause =
                new WireFormatException(WireFormatException.Reason.NOT_FRAMED, "first byte is 0x7b");
        Exception wrapped = new ListenerExecutionFailedException(
                "Listener failed",
                new BatchListenerFailedException(
                        "failed", new DeserializationException("failed to deserialize", new byte[0], false, cause), 3));
        assertThat(DeadLetterPolicy.reasonText(wrapped)).isEqualTo("NOT_FRAMED: first byte is 0x7b");
    }

    @Test
    void transientFailuresAndAnUnreachableRegistryAreNeverDeadLettered() {
        assertThat(DeadLetterPolicy.isTransient(new BatchListenerFailedException(
                        "x", new TransientFailure("realtime.publish did not acknowledge"), 0)))
                .isTrue();
        assertThat(DeadLetterPolicy.isTransient(new DeserializationException(
                        "failed to deserialize",
                        new byte[0],
                        false,
                        new WireFormatException(WireFormatException.Reason.REGISTRY_UNAVAILABLE, "503"))))
                .isTrue();
        assertThat(DeadLetterPolicy.isTransient(
                        new WireFormatException(WireFormatException.Reason.UNKNOWN_SCHEMA_ID, "42")))
                .isFalse();
    }
}
