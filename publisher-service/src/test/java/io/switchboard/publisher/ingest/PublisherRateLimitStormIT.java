package io.switchboard.publisher.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.switchboard.publisher.PublisherApplication;
import io.switchboard.schemas.ChannelPublish;
import io.switchboard.testkit.KafkaTestBroker;
import io.switchboard.testkit.PusherStandIn;
import io.switchboard.testkit.PusherStandIn.Fault;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Regression (review of issue 13): Pusher answering 429 never opens the circuit breaker, so a storm of 429s longer
 * than the retry budget dead-lettered good records as RETRIES_EXHAUSTED. Here the retry budget is made short (3
 * attempts, Retry-After capped at 1 s: about 2 s a request) and the stand-in answers 429 with {@code Retry-After: 1}
 * to every request for 10 s.
 */
class PublisherRateLimitStormIT {

    private static final Duration STORM = Duration.ofSeconds(10);

    private final String id = UUID.randomUUID().toString();
    private final String topic = "publish-429-" + id;
    private final String deadLetterTopic = topic + ".dlq";
    private final String kafka = KafkaTestBroker.bootstrapServers();
    private final TopicPartition partition = new TopicPartition(topic, 0);
    private PusherStandIn pusher;
    private ConfigurableApplicationContext publisher;
    private Admin admin;

    @BeforeEach
    void setUp() throws Exception {
        pusher = new PusherStandIn("app-1", "key-1", "secret-of-the-stand-in-0123456789");
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka));
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1), new NewTopic(deadLetterTopic, 1, (short) 1)))
                .all()
                .get();
        List<String> args = new ArrayList<>(List.of(
                "--spring.kafka.bootstrap-servers=" + kafka,
                "--server.port=0",
                "--switchboard.publisher.input-topic=" + topic,
                "--switchboard.publisher.dead-letter-topic=" + deadLetterTopic,
                "--spring.kafka.consumer.group-id=" + topic,
                "--spring.kafka.listener.concurrency=1",
                "--switchboard.publisher.retry.max-attempts=3",
                "--switchboard.publisher.retry.initial-backoff=50ms",
                "--switchboard.publisher.retry.max-backoff=100ms",
                "--switchboard.publisher.retry.retry-after-cap=1s"));
        args.addAll(pusher.publisherArgs());
        publisher = PublisherApplication.builder().run(args.toArray(String[]::new));
    }

    @AfterEach
    void tearDown() {
        if (publisher != null) {
            publisher.close();
        }
        pusher.close();
        admin.close();
    }

    @Test
    void aRateLimitStormLongerThanTheRetryBudgetDelaysDeliveryButNeverDeadLetters() throws Exception {
        send("before-" + id, 5); // offsets 0..4, delivered before the storm
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(pusher.delivered()).hasSize(5);
            assertThat(committed()).isEqualTo(5);
        });

        int requestsBeforeStorm = pusher.requests();
        pusher.failFor(STORM, new Fault(429, "{\"error\":\"Too many requests\"}", "1"));
        List<String> keys = List.of("a-" + id, "b-" + id, "c-" + id);
        try (KafkaProducer<String, ChannelPublish> producer = Publishes.producer(kafka)) {
            for (int n = 0; n < 8; n++) { // offsets 5..28, the keys interleaved
                for (String key : keys) {
                    producer.send(record(key, n));
                }
            }
            producer.flush();
        }

        // the storm outlasts the retry budget three times over: nothing is delivered, nothing dead-lettered, the
        // breaker stays closed and nothing is committed past the first unsettled record (offset 5), while the
        // requests go on (slowed down by Retry-After)
        CircuitBreaker breaker = publisher.getBean(CircuitBreaker.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> pusher.requests() >= requestsBeforeStorm + 2);
        await().during(Duration.ofSeconds(6))
                .atMost(Duration.ofSeconds(8))
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> {
                    assertThat(deadLetters())
                            .as("dead letters written during the storm")
                            .isZero();
                    assertThat(committed())
                            .as("committed offset during the storm")
                            .isEqualTo(5);
                    assertThat(pusher.delivered()).hasSize(5);
                    assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
                });

        // after the storm every record arrives once, in order per key, and the offsets move to the end
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (String key : keys) {
                assertThat(delivered(key)).as(key).containsExactlyElementsOf(range(8));
            }
            assertThat(committed()).isEqualTo(29);
        });
        assertThat(delivered("before-" + id)).containsExactlyElementsOf(range(5));
        assertThat(pusher.delivered()).hasSize(29);
        assertThat(deadLetters()).isZero();
        assertThat(Publishes.meter(base(), "switchboard_publisher_dead_lettered_total"))
                .isZero();
    }

    private void send(String key, int count) throws Exception {
        try (KafkaProducer<String, ChannelPublish> producer = Publishes.producer(kafka)) {
            for (int n = 0; n < count; n++) {
                producer.send(record(key, n));
            }
            producer.flush();
        }
    }

    private ProducerRecord<String, ChannelPublish> record(String key, int n) {
        return new ProducerRecord<>(
                topic, key, Publishes.of(key + "#" + n, "audit.progress", "private-" + key, "{\"n\":" + n + "}"));
    }

    private List<Integer> delivered(String key) {
        return pusher.delivered().stream()
                .filter(d -> d.channel().equals("private-" + key))
                .map(d -> Integer.valueOf(d.data().replaceAll("\\D", "")))
                .toList();
    }

    private static List<Integer> range(int to) {
        return IntStream.range(0, to).boxed().toList();
    }

    private long committed() throws Exception {
        OffsetAndMetadata offset = admin.listConsumerGroupOffsets(topic)
                .partitionsToOffsetAndMetadata()
                .get()
                .get(partition);
        return offset == null ? 0 : offset.offset();
    }

    /** How many records the dead-letter topic holds (its end offset). */
    private long deadLetters() throws Exception {
        TopicPartition dlq = new TopicPartition(deadLetterTopic, 0);
        return admin.listOffsets(Map.of(dlq, OffsetSpec.latest()))
                .partitionResult(dlq)
                .get()
                .offset();
    }

    private String base() {
        return "http://127.0.0.1:" + publisher.getEnvironment().getProperty("local.server.port");
    }
}
