package io.switchboard.testkit;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Reads topics as raw bytes from the beginning (a fresh consumer group), for assertions on what is really there. */
public final class KafkaTestClient implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();

    private KafkaTestClient(KafkaConsumer<String, byte[]> consumer) {
        this.consumer = consumer;
    }

    public static KafkaTestClient subscribe(String bootstrap, String... topics) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG,
                "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class));
        consumer.subscribe(List.of(topics));
        return new KafkaTestClient(consumer);
    }

    /** Polls until the records seen so far (in arrival order) satisfy {@code done}; returns them. */
    public List<ConsumerRecord<String, byte[]>> pollUntil(
            Duration timeout, Predicate<List<ConsumerRecord<String, byte[]>>> done) {
        await().atMost(timeout).until(() -> {
            consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
            return done.test(seen);
        });
        return List.copyOf(seen);
    }

    /** The records seen with this key, once there are at least {@code count}. */
    public List<ConsumerRecord<String, byte[]>> withKey(String key, int count, Duration timeout) {
        return pollUntil(timeout, records -> withKey(records, key).size() >= count).stream()
                .filter(r -> key.equals(r.key()))
                .toList();
    }

    public static List<ConsumerRecord<String, byte[]>> withKey(
            List<ConsumerRecord<String, byte[]>> records, String key) {
        return records.stream().filter(r -> key.equals(r.key())).toList();
    }

    public static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    public static KafkaProducer<String, byte[]> rawProducer(String bootstrap) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
    }

    @Override
    public void close() {
        consumer.close();
    }
}
