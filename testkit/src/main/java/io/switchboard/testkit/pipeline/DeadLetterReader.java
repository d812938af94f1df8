package io.switchboard.testkit.pipeline;

import io.switchboard.testkit.KafkaTestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads the dead-letter topics from the start and counts dead letters by stage and reason, within a time window. */
public final class DeadLetterReader implements AutoCloseable {

    private record DeadLetter(long timestamp, String stage, String reason) {}

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<DeadLetter> seen = new ArrayList<>();

    public DeadLetterReader(String bootstrap, String... topics) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG,
                "fault-matrix-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class));
        consumer.subscribe(List.of(topics));
    }

    /** Dead letters written since {@code fromMillis} (wall clock), by "stage REASON". */
    public synchronized Map<String, Integer> since(long fromMillis) {
        for (int i = 0; i < 5; i++) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                seen.add(new DeadLetter(
                        record.timestamp(),
                        KafkaTestClient.header(record, "switchboard-stage"),
                        KafkaTestClient.header(record, "switchboard-reason")));
            }
        }
        Map<String, Integer> counts = new TreeMap<>();
        for (DeadLetter d : seen) {
            if (d.timestamp() >= fromMillis) {
                counts.merge(d.stage() + " " + d.reason(), 1, Integer::sum);
            }
        }
        return counts;
    }

    @Override
    public synchronized void close() {
        consumer.close();
    }
}
