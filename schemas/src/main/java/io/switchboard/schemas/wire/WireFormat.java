package io.switchboard.schemas.wire;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * The Confluent Schema Registry wire format: byte 0 (magic), a 4-byte big-endian schema id, then Avro binary.
 * Written here because Confluent's serializer is not served by our registry; the framing is five bytes and is
 * checked against hand-derived byte vectors in the tests.
 */
public final class WireFormat {

    public static final byte MAGIC = 0;
    public static final int HEADER_BYTES = 5;

    private static final Map<Schema, SpecificDatumWriter<SpecificRecord>> WRITERS = new ConcurrentHashMap<>();
    private static final Map<ReaderKey, SpecificDatumReader<?>> READERS = new ConcurrentHashMap<>();

    private record ReaderKey(Schema writer, Schema reader) {}

    private WireFormat() {}

    public static byte[] encode(int schemaId, SpecificRecord record) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.write(MAGIC);
        out.write(schemaId >>> 24);
        out.write(schemaId >>> 16);
        out.write(schemaId >>> 8);
        out.write(schemaId);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            WRITERS.computeIfAbsent(record.getSchema(), SpecificDatumWriter::new)
                    .write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The schema id of framed bytes, without decoding the body. */
    public static int schemaId(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new WireFormatException(WireFormatException.Reason.EMPTY, "no bytes");
        }
        if (bytes[0] != MAGIC) {
            throw new WireFormatException(
                    WireFormatException.Reason.NOT_FRAMED, String.format("first byte is 0x%02x, not 0x00", bytes[0]));
        }
        if (bytes.length < HEADER_BYTES) {
            throw new WireFormatException(
                    WireFormatException.Reason.TRUNCATED, bytes.length + " bytes, shorter than the 5-byte frame");
        }
        return ByteBuffer.wrap(bytes, 1, 4).getInt();
    }

    /** Decodes framed bytes into {@code reader}'s schema, resolving from the writer schema the id names. */
    public static <T extends SpecificRecord> T decode(byte[] bytes, SchemaRegistry registry, Schema reader) {
        int id = schemaId(bytes);
        Schema writer = registry.schemaFor(id);
        @SuppressWarnings("unchecked")
        SpecificDatumReader<T> datumReader = (SpecificDatumReader<T>) READERS.computeIfAbsent(
                new ReaderKey(writer, reader), k -> new SpecificDatumReader<>(k.writer, k.reader));
        BinaryDecoder decoder =
                DecoderFactory.get().binaryDecoder(bytes, HEADER_BYTES, bytes.length - HEADER_BYTES, null);
        T record;
        try {
            record = datumReader.read(null, decoder);
        } catch (EOFException e) {
            throw new WireFormatException(
                    WireFormatException.Reason.TRUNCATED,
                    "the body ends before the record does (schema id " + id + ")",
                    e);
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | NegativeArraySizeException e) {
            throw new WireFormatException(
                    WireFormatException.Reason.NOT_AVRO,
                    "the body is not Avro of schema id " + id + ": " + e.getMessage(),
                    e);
        }
        try {
            if (!decoder.isEnd()) {
                throw new WireFormatException(
                        WireFormatException.Reason.NOT_AVRO, "bytes left over after the record (schema id " + id + ")");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return record;
    }
}
