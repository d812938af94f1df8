package io.switchboard.schemas.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.schemas.ChannelPublish;
import io.switchboard.schemas.RealtimeEvent;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WireFormatTest {

    private final AvroSerializer<RealtimeEvent> serializer = new AvroSerializer<>();
    private final AvroDeserializer<RealtimeEvent> deserializer =
            new AvroDeserializer<>(RealtimeEvent.class, PinnedSchemaRegistry.instance());

    static RealtimeEvent stepCompleted() {
        return RealtimeEvent.newBuilder()
                .setEventId("0b7c6f7e-3d4a-4d0e-9d5e-0f6a1c2b3d4e")
                .setType("audit.step_completed")
                .setOccurredAt(Instant.ofEpochMilli(1_765_755_984_607L))
                .setSource("audit-service")
                .setAggregateType("audit")
                .setAggregateId("audit-1787121-1")
                .setPayload("{\"audit_id\":\"audit-1787121-1\",\"fiche_id\":\"1787121\",\"step_position\":3}")
                .setChannels(null)
                .setSocketId(null)
                .setHeaders(Map.of("traceparent", "00-abc-def-01"))
                .build();
    }

    @Test
    void framesRecordsAsConfluentDoesByteForByte() {
        byte[] bytes = serializer.serialize("realtime.events", stepCompleted());

        // Expected bytes derived from the published formats alone: Confluent's frame (magic 0, big-endian int32
        // schema id) and the Avro 1.12 binary encoding (zig-zag varints, length-prefixed UTF-8, union branch index,
        // maps as blocks of count + entries, closed by a 0 count).
        Spec avro = new Spec();
        avro.raw(0x00, 0x00, 0x00, 0x00, 0x01); // magic, schema id 1 (RealtimeEvent v1)
        avro.string("0b7c6f7e-3d4a-4d0e-9d5e-0f6a1c2b3d4e");
        avro.string("audit.step_completed");
        avro.varlong(1_765_755_984_607L);
        avro.string("audit-service");
        avro.varlong(1).string("audit"); // union index 1 = string
        avro.varlong(1).string("audit-1787121-1");
        avro.string("{\"audit_id\":\"audit-1787121-1\",\"fiche_id\":\"1787121\",\"step_position\":3}");
        avro.varlong(0); // channels: union index 0 = null
        avro.varlong(0); // socket_id: null
        avro.varlong(1).string("traceparent").string("00-abc-def-01").varlong(0); // one map block, then the end

        assertThat(bytes).isEqualTo(avro.bytes());
    }

    @Test
    void roundTripsBothRecordTypes() {
        assertThat(deserializer.deserialize(
                        "realtime.events", serializer.serialize("realtime.events", stepCompleted())))
                .isEqualTo(stepCompleted());

        ChannelPublish publish = ChannelPublish.newBuilder()
                .setEventId("e1")
                .setName("audit.progress")
                .setChannels(List.of("private-audit-A", "private-fiche-F"))
                .setData("{\"audit_id\":\"A\"}")
                .setOccurredAt(Instant.ofEpochMilli(1))
                .setRoutedAt(Instant.ofEpochMilli(2))
                .setTruncated(false)
                .setOriginalBytes(16)
                .build();
        byte[] bytes = new AvroSerializer<ChannelPublish>().serialize("realtime.publish", publish);
        assertThat(WireFormat.schemaId(bytes)).isEqualTo(2);
        assertThat(new AvroDeserializer<>(ChannelPublish.class, PinnedSchemaRegistry.instance())
                        .deserialize("realtime.publish", bytes))
                .isEqualTo(publish);
    }

    @Test
    void refusesBadBytesWithAReason() {
        byte[] good = serializer.serialize("realtime.events", stepCompleted());
        assertReason(null, WireFormatException.Reason.EMPTY);
        assertReason(new byte[0], WireFormatException.Reason.EMPTY);
        assertReason(
                "{\"type\":\"audit.started\"}".getBytes(StandardCharsets.UTF_8), WireFormatException.Reason.NOT_FRAMED);
        assertReason(new byte[] {0, 0, 0}, WireFormatException.Reason.TRUNCATED);
        assertReason(Arrays.copyOf(good, good.length - 10), WireFormatException.Reason.TRUNCATED);
        byte[] unknownId = good.clone();
        unknownId[4] = 99;
        assertReason(unknownId, WireFormatException.Reason.UNKNOWN_SCHEMA_ID);
        byte[] trailing = Arrays.copyOf(good, good.length + 3);
        assertReason(trailing, WireFormatException.Reason.NOT_AVRO);
        byte[] garbage = {0, 0, 0, 0, 1, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01};
        assertThatThrownBy(() -> deserializer.deserialize("t", garbage))
                .isInstanceOfSatisfying(
                        WireFormatException.class,
                        e -> assertThat(e.reason())
                                .isIn(WireFormatException.Reason.NOT_AVRO, WireFormatException.Reason.TRUNCATED));
    }

    private void assertReason(byte[] bytes, WireFormatException.Reason reason) {
        assertThatThrownBy(() -> deserializer.deserialize("realtime.events", bytes))
                .isInstanceOfSatisfying(
                        WireFormatException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }

    /** The Avro binary encoding, written from the specification for this test only. */
    private static final class Spec {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Spec raw(int... bytes) {
            for (int b : bytes) {
                out.write(b);
            }
            return this;
        }

        Spec varlong(long value) {
            long n = (value << 1) ^ (value >> 63); // zig-zag
            while ((n & ~0x7FL) != 0) {
                out.write((int) ((n & 0x7F) | 0x80));
                n >>>= 7;
            }
            out.write((int) n);
            return this;
        }

        Spec string(String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            varlong(utf8.length);
            out.write(utf8, 0, utf8.length);
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
