package io.switchboard.relay.sink;

import io.switchboard.relay.outbox.OutboxRow;
import io.switchboard.relay.outbox.OutboxTable;
import io.switchboard.relay.relay.BadRowException;
import io.switchboard.relay.relay.DeadLetter;
import io.switchboard.relay.relay.EventSink;
import io.switchboard.schemas.RealtimeEvent;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka as the relay's sink, through one producer it owns (and closes): events to realtime.events as Avro, keyed by
 * aggregate id; dead letters to realtime.events.dlq (see {@link DeadLetterRecords}).
 *
 * <p>Events are serialized here, so the record Kafka would see is measured before it is sent: one over
 * {@code max-record-bytes} is a {@code ROW_TOO_LARGE} at once. A record Kafka refuses for good when it is sent (too
 * large for the broker or the topic, an invalid record) fails its future with a {@link BadRowException}; anything
 * else (timeouts, a broker away, authorization) fails it as it came, to be retried.
 */
public final class KafkaEventSink implements EventSink, AutoCloseable {

    private final Producer<String, byte[]> producer;
    private final Serializer<RealtimeEvent> serializer;
    private final String topic;
    private final int maxRecordBytes;
    private final DeadLetterRecords deadLetters;

    public KafkaEventSink(
            Producer<String, byte[]> producer,
            Serializer<RealtimeEvent> serializer,
            String topic,
            String deadLetterTopic,
            OutboxTable table,
            int maxRecordBytes) {
        this.producer = producer;
        this.serializer = serializer;
        this.topic = topic;
        this.maxRecordBytes = maxRecordBytes;
        this.deadLetters = new DeadLetterRecords(deadLetterTopic, table, maxRecordBytes);
    }

    @Override
    public CompletableFuture<?> publish(OutboxRow row, RealtimeEvent event) {
        ProducerRecord<String, byte[]> record =
                new ProducerRecord<>(topic, row.aggregateId(), serializer.serialize(topic, event));
        int size = RecordSize.of(record);
        if (size > maxRecordBytes) {
            throw new BadRowException(
                    BadRowException.Reason.ROW_TOO_LARGE,
                    "outbox row " + row.id() + " is " + size + " bytes as a Kafka record (key, Avro value, headers),"
                            + " over switchboard.outbox.max-record-bytes (" + maxRecordBytes + ")");
        }
        return send(record, row);
    }

    @Override
    public CompletableFuture<?> deadLetter(DeadLetter letter) {
        return send(deadLetters.build(letter), letter.row());
    }

    private CompletableFuture<RecordMetadata> send(ProducerRecord<String, byte[]> record, OutboxRow row) {
        CompletableFuture<RecordMetadata> ack = new CompletableFuture<>();
        try {
            producer.send(record, (metadata, error) -> {
                if (error == null) {
                    ack.complete(metadata);
                } else {
                    ack.completeExceptionally(classify(error, record, row));
                }
            });
        } catch (RuntimeException e) {
            ack.completeExceptionally(classify(e, record, row));
        }
        return ack;
    }

    /** A refusal for good of this one record becomes a {@link BadRowException}; anything else stays as it is. */
    static Throwable classify(Throwable error, ProducerRecord<String, byte[]> record, OutboxRow row) {
        String where = "Kafka refused the record of outbox row " + row.id() + " on " + record.topic() + " ("
                + RecordSize.of(record) + " bytes): " + error.getClass().getSimpleName() + ": " + error.getMessage();
        if (error instanceof RecordTooLargeException || error instanceof RecordBatchTooLargeException) {
            return new BadRowException(BadRowException.Reason.ROW_TOO_LARGE, where, error);
        }
        if (error instanceof InvalidRecordException) {
            return new BadRowException(BadRowException.Reason.RECORD_REFUSED, where, error);
        }
        return error;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
        serializer.close();
    }
}
