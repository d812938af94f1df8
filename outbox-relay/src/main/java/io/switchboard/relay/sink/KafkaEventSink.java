package io.switchboard.relay.sink;

import io.switchboard.relay.outbox.OutboxRow;
import io.switchboard.relay.relay.BadRowException;
import io.switchboard.relay.relay.EventSink;
import io.switchboard.relay.relay.OutboxEventMapper;
import io.switchboard.schemas.RealtimeEvent;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.core.KafkaTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Kafka as the relay's sink: events to realtime.events as Avro, keyed by aggregate id; bad rows to
 * realtime.events.dlq as the row's JSON with reason headers.
 */
public final class KafkaEventSink implements EventSink {

    public static final String REASON_HEADER = "switchboard-reason";
    public static final String MESSAGE_HEADER = "switchboard-message";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final KafkaTemplate<String, RealtimeEvent> events;
    private final KafkaTemplate<String, byte[]> deadLetters;
    private final String topic;
    private final String deadLetterTopic;

    public KafkaEventSink(
            KafkaTemplate<String, RealtimeEvent> events,
            KafkaTemplate<String, byte[]> deadLetters,
            String topic,
            String deadLetterTopic) {
        this.events = events;
        this.deadLetters = deadLetters;
        this.topic = topic;
        this.deadLetterTopic = deadLetterTopic;
    }

    @Override
    public CompletableFuture<?> publish(String key, RealtimeEvent event) {
        return events.send(topic, key, event);
    }

    @Override
    public CompletableFuture<?> deadLetter(OutboxRow row, BadRowException reason) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(
                deadLetterTopic, row.aggregateId(), JSON.writeValueAsString(row).getBytes(StandardCharsets.UTF_8));
        record.headers().add(REASON_HEADER, reason.reason().name().getBytes(StandardCharsets.UTF_8));
        record.headers().add(MESSAGE_HEADER, reason.getMessage().getBytes(StandardCharsets.UTF_8));
        record.headers()
                .add(OutboxEventMapper.OUTBOX_ID_HEADER, Long.toString(row.id()).getBytes(StandardCharsets.UTF_8));
        return deadLetters.send(record);
    }
}
