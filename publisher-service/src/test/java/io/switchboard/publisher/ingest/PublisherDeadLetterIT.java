package io.switchboard.publisher.ingest;

import static io.switchboard.testkit.KafkaTestClient.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.publisher.PublisherApplication;
import io.switchboard.schemas.ChannelPublish;
import io.switchboard.testkit.KafkaTestBroker;
import io.switchboard.testkit.KafkaTestClient;
import io.switchboard.testkit.PusherStandIn;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Dead letters as the publisher writes them (DeadLetterPolicy as KafkaConfig configures it), against a real broker
 * and the Pusher stand-in: what lands in the dead-letter topic, what is logged, what is counted, and what happens to
 * the other records when a dead letter cannot be written.
 */
@ExtendWith(OutputCaptureExtension.class)
class PublisherDeadLetterIT {

    private static final String OVERSIZE = "{\"blob\":\"" + "a".repeat(11_000) + "\"}"; // the stand-in answers 413

    private final String id = UUID.randomUUID().toString();
    private final String topic = "publish-dl-" + id;
    private final String deadLetterTopic = "publish-dl-" + id + ".dlq";
    private final String kafka = KafkaTestBroker.bootstrapServers();
    private PusherStandIn pusher;
    private ConfigurableApplicationContext publisher;
    private Admin admin;

    @BeforeEach
    void setUp() throws Exception {
        pusher = new PusherStandIn("app-1", "key-1", "secret-of-the-stand-in-0123456789");
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka));
    }

    @AfterEach
    void tearDown() {
        if (publisher != null) {
            publisher.close();
        }
        pusher.close();
        admin.close();
    }

    private void start(String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--spring.kafka.bootstrap-servers=" + kafka,
                "--server.port=0",
                "--switchboard.publisher.input-topic=" + topic,
                "--switchboard.publisher.dead-letter-topic=" + deadLetterTopic,
                "--spring.kafka.consumer.group-id=" + topic));
        args.addAll(pusher.publisherArgs());
        args.addAll(List.of(extra));
        publisher = PublisherApplication.builder().run(args.toArray(String[]::new));
    }

    /**
     * Regression (issue 13, item 3): dead letters went to the source record's partition, so a dead-letter topic with
     * fewer partitions than the source failed every write. Also pins item 11: the headers of a dead letter, one WARN
     * line per dead letter and no ERROR or stack trace for bad data; and item 14: the raw-bytes producer the policy
     * makes is closed with the context.
     */
    @Test
    void aDeadLetterTopicWithOnePartitionTakesTheDeadLettersOfEveryPartitionOfTheSource(CapturedOutput output)
            throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1), new NewTopic(deadLetterTopic, 1, (short) 1)))
                .all()
                .get();
        Set<String> producerThreadsBefore = producerThreads();
        start();
        String key = "bad-" + id;
        try (KafkaProducer<String, ChannelPublish> producer = Publishes.producer(kafka);
                KafkaProducer<String, byte[]> raw = KafkaTestClient.rawProducer(kafka)) {
            for (int partition = 0; partition < 3; partition++) {
                producer.send(new ProducerRecord<>(
                        topic, partition, key, Publishes.of("too-big-" + partition, "x.y", "private-a", OVERSIZE)));
            }
            raw.send(new ProducerRecord<>(topic, 1, key, "not avro".getBytes(StandardCharsets.UTF_8)));
            producer.send(new ProducerRecord<>(topic, 2, key, Publishes.of("fine-" + id, "x.y", "private-a", "{}")));
            producer.flush();
            raw.flush();
        }

        List<ConsumerRecord<String, byte[]>> dead;
        try (KafkaTestClient dlq = KafkaTestClient.subscribe(kafka, deadLetterTopic)) {
            dead = dlq.withKey(key, 4, Duration.ofSeconds(30));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> pusher.delivered().size() == 1);

        assertThat(dead).hasSize(4).allSatisfy(r -> assertThat(r.partition()).isZero());
        assertThat(admin.describeTopics(List.of(deadLetterTopic))
                        .allTopicNames()
                        .get()
                        .get(deadLetterTopic)
                        .partitions())
                .as("the dead-letter topic is left as it was")
                .hasSize(1);
        Map<String, ConsumerRecord<String, byte[]>> byPartition = dead.stream()
                .collect(Collectors.toMap(r -> originalPartition(r) + "/" + header(r, "switchboard-reason"), r -> r));
        assertThat(byPartition)
                .containsOnlyKeys(
                        "0/PUSHER_REJECTED", "1/PUSHER_REJECTED", "2/PUSHER_REJECTED", "1/NOT_DESERIALIZABLE");
        for (int partition = 0; partition < 3; partition++) {
            ConsumerRecord<String, byte[]> r = byPartition.get(partition + "/PUSHER_REJECTED");
            assertThat(header(r, "switchboard-stage")).isEqualTo("publisher");
            assertThat(header(r, "switchboard-event-id")).isEqualTo("too-big-" + partition);
            assertThat(header(r, "switchboard-reason-text")).contains("413").contains("too-big-" + partition);
            assertThat(header(r, "switchboard-http-status")).isEqualTo("413");
            assertThat(header(r, "switchboard-attempts")).isEqualTo("1");
            assertThat(header(r, "kafka_dlt-original-topic")).isEqualTo(topic);
        }
        ConsumerRecord<String, byte[]> undecodable = byPartition.get("1/NOT_DESERIALIZABLE");
        assertThat(new String(undecodable.value(), StandardCharsets.UTF_8)).isEqualTo("not avro");
        assertThat(header(undecodable, "switchboard-reason-text")).contains("NOT_FRAMED");
        assertThat(pusher.delivered()).extracting(PusherStandIn.Delivered::data).containsExactly("{}");
        assertThat(meter()).isEqualTo(4);

        // one WARN line per dead letter, with the event id, the reason and its text; bad data is no ERROR
        List<String> warnings = output.getAll()
                .lines()
                .filter(l -> l.contains(" WARN ") && l.contains("dead-lettered event"))
                .toList();
        assertThat(warnings).hasSize(4);
        for (int partition = 0; partition < 3; partition++) {
            String event = "too-big-" + partition;
            assertThat(warnings)
                    .filteredOn(l -> l.contains("dead-lettered event " + event + " "))
                    .singleElement()
                    .satisfies(l -> assertThat(l).contains("PUSHER_REJECTED").contains("413"));
        }
        assertThat(output.getAll().lines().filter(l -> l.contains(" ERROR ") || l.startsWith("\tat ")))
                .isEmpty();

        publisher.close();
        publisher = null;
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(producerThreads()).isSubsetOf(producerThreadsBefore));
    }

    /**
     * Regression (issue 13, item 3): when a dead-letter write failed, the failing record's index was reported and
     * every record before it committed, including another key's records still queued: they were never delivered.
     * Also pins item 14: a dead letter is counted only once Kafka acknowledged it. The dead-letter topic refuses
     * writes (they are larger than it takes) until the test lifts its limit.
     */
    @Test
    void aDeadLetterWriteThatFailsSkipsNothingAndIsCountedOnlyOnceKafkaAcknowledgesIt() throws Exception {
        // every dead letter is larger than the topic takes (min.insync.replicas above the replicas did not refuse
        // writes reliably on the in-process KRaft broker)
        NewTopic refusing = new NewTopic(deadLetterTopic, 1, (short) 1).configs(Map.of("max.message.bytes", "64"));
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1), refusing))
                .all()
                .get();
        pusher.latency(Duration.ofMillis(100)); // the slow key delivers about 10 events a second
        start(
                "--spring.kafka.producer.properties.request.timeout.ms=1000",
                "--spring.kafka.producer.properties.delivery.timeout.ms=2000");
        String slow = "slow-" + id;
        String bad = "bad-" + id;
        try (KafkaProducer<String, ChannelPublish> producer = Publishes.producer(kafka)) {
            // offsets 0..49: the slow key; offset 50: a record Pusher refuses; offsets 51..60: the slow key again
            for (int n = 0; n < 60; n++) {
                if (n == 50) {
                    producer.send(new ProducerRecord<>(topic, bad, Publishes.of(bad, "x.y", "private-b", OVERSIZE)));
                }
                producer.send(new ProducerRecord<>(
                        topic, slow, Publishes.of(slow + "#" + n, "x.y", "private-" + slow, "{\"n\":" + n + "}")));
            }
            producer.flush();
        }

        // the refused record is offered at once and its dead letter fails again and again;
        // meanwhile the slow key goes on, with no gap, and nothing is committed past the refused record
        TopicPartition partition = new TopicPartition(topic, 0);
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> {
                    assertThat(committed(partition)).isLessThanOrEqualTo(50);
                    List<Integer> sofar = delivered(slow);
                    assertThat(sofar).containsExactlyElementsOf(range(0, sofar.size()));
                    assertThat(sofar).hasSizeGreaterThanOrEqualTo(50);
                });
        assertThat(meter()).as("dead letters counted while Kafka refuses them").isZero();
        assertThat(committed(partition)).isLessThanOrEqualTo(50);

        admin.incrementalAlterConfigs(Map.of(
                        new ConfigResource(ConfigResource.Type.TOPIC, deadLetterTopic),
                        List.of(new AlterConfigOp(
                                new ConfigEntry("max.message.bytes", ""), AlterConfigOp.OpType.DELETE))))
                .all()
                .get();

        List<ConsumerRecord<String, byte[]>> dead;
        try (KafkaTestClient dlq = KafkaTestClient.subscribe(kafka, deadLetterTopic)) {
            dead = dlq.withKey(bad, 1, Duration.ofSeconds(60));
        }
        assertThat(header(dead.get(0), "switchboard-reason")).isEqualTo("PUSHER_REJECTED");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(delivered(slow)).containsExactlyElementsOf(range(0, 60));
            assertThat(committed(partition)).isEqualTo(61);
        });
        assertThat(meter()).isGreaterThanOrEqualTo(1);
    }

    /**
     * Without PUSHER_ENCRYPTION_MASTER_KEY_BASE64, an event to a private-encrypted- channel cannot be encrypted: it is
     * dead-lettered as ENCRYPTION_KEY_MISSING before anything is sent (not even to its clear channels), never
     * published in clear text; the next record of its key still goes.
     */
    @Test
    void anEventToAnEncryptedChannelWithoutAMasterKeyIsDeadLetteredNotSentInClear(CapturedOutput output)
            throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        start();
        String key = "enc-" + id;
        String secret = "{\"audit_id\":\"A\",\"diagnosis\":\"for the patient's eyes only\"}";
        try (KafkaProducer<String, ChannelPublish> producer = Publishes.producer(kafka)) {
            ChannelPublish encrypted = Publishes.of("enc-" + id, "audit.updated", "private-audit-A", secret);
            encrypted.setChannels(List.of("private-audit-A", "private-encrypted-audit-A"));
            producer.send(new ProducerRecord<>(topic, key, encrypted));
            producer.send(new ProducerRecord<>(topic, key, Publishes.of("next-" + id, "x.y", "private-a", "{}")));
            producer.flush();
        }

        List<ConsumerRecord<String, byte[]>> dead;
        try (KafkaTestClient dlq = KafkaTestClient.subscribe(kafka, deadLetterTopic)) {
            dead = dlq.withKey(key, 1, Duration.ofSeconds(30));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> pusher.delivered().size() == 1);

        ConsumerRecord<String, byte[]> letter = dead.get(0);
        assertThat(header(letter, "switchboard-reason")).isEqualTo("ENCRYPTION_KEY_MISSING");
        assertThat(header(letter, "switchboard-event-id")).isEqualTo("enc-" + id);
        assertThat(header(letter, "switchboard-reason-text"))
                .contains("PUSHER_ENCRYPTION_MASTER_KEY_BASE64")
                .contains("private-encrypted-audit-A");
        assertThat(header(letter, "switchboard-attempts")).isEqualTo("0");
        assertThat(pusher.delivered())
                .extracting(PusherStandIn.Delivered::channel)
                .containsExactly("private-a");
        assertThat(pusher.requests()).as("requests that reached Pusher").isEqualTo(1);
        assertThat(output.getAll()).doesNotContain("for the patient's eyes only");
        assertThat(meter()).isEqualTo(1);
    }

    /**
     * Issue 15, "logs carry the trace id and event id": the publisher's dead-letter line is written inside the
     * record's span, so it carries the trace id of the traceparent the router put in the record's headers (Boot's
     * correlation pattern reads {@code traceId} from the MDC), sampled or not, and names the event.
     */
    @Test
    void theDeadLetterLineCarriesTheRecordsTraceIdAndEventId() throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        start();
        String key = "traced-" + id;
        String sampled = UUID.randomUUID().toString().replace("-", "");
        String unsampled = UUID.randomUUID().toString().replace("-", "");
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs =
                new ch.qos.logback.core.read.ListAppender<>() {
                    @Override
                    protected void append(ch.qos.logback.classic.spi.ILoggingEvent e) {
                        e.prepareForDeferredProcessing(); // the MDC of the thread that logs, not of the one asserting
                        super.append(e);
                    }
                };
        ch.qos.logback.classic.Logger root =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        logs.start();
        root.addAppender(logs);
        try {
            try (KafkaProducer<String, ChannelPublish> producer = Publishes.producer(kafka)) {
                for (String[] trace : new String[][] {{sampled, "01", "-sampled"}, {unsampled, "00", "-unsampled"}}) {
                    ChannelPublish publish = Publishes.of(key + trace[2], "x.y", "private-a", OVERSIZE);
                    publish.setHeaders(Map.of("traceparent", "00-" + trace[0] + "-00f067aa0ba902b7-" + trace[1]));
                    producer.send(new ProducerRecord<>(topic, key, publish));
                }
                producer.flush();
            }
            try (KafkaTestClient dlq = KafkaTestClient.subscribe(kafka, deadLetterTopic)) {
                dlq.withKey(key, 2, Duration.ofSeconds(30));
            }
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> logs.list.stream()
                                    .filter(e -> e.getFormattedMessage().startsWith("dead-lettered event " + key))
                                    .count()
                            >= 2);
        } finally {
            root.detachAppender(logs);
        }
        for (String[] expected : new String[][] {{key + "-sampled", sampled}, {key + "-unsampled", unsampled}}) {
            assertThat(logs.list)
                    .filteredOn(e -> e.getFormattedMessage().startsWith("dead-lettered event " + expected[0] + " "))
                    .singleElement()
                    .satisfies(e -> assertThat(e.getFormattedMessage()).contains("PUSHER_REJECTED"))
                    .satisfies(e -> assertThat(e.getMDCPropertyMap())
                            .as("the MDC of %s's line", expected[0])
                            .containsEntry("traceId", expected[1])
                            .containsKey("spanId"));
        }
    }

    private List<Integer> delivered(String key) {
        return pusher.delivered().stream()
                .filter(d -> d.channel().equals("private-" + key))
                .map(d -> Integer.valueOf(d.data().replaceAll("\\D", "")))
                .toList();
    }

    private static List<Integer> range(int from, int to) {
        return IntStream.range(from, to).boxed().toList();
    }

    private long committed(TopicPartition partition) throws Exception {
        OffsetAndMetadata offset = admin.listConsumerGroupOffsets(topic)
                .partitionsToOffsetAndMetadata()
                .get()
                .get(partition);
        return offset == null ? 0 : offset.offset();
    }

    private double meter() {
        return publisher
                .getBean(io.micrometer.core.instrument.MeterRegistry.class)
                .find("switchboard.publisher.dead_lettered")
                .counters()
                .stream()
                .mapToDouble(io.micrometer.core.instrument.Counter::count)
                .sum();
    }

    private static int originalPartition(ConsumerRecord<?, ?> record) {
        return java.nio.ByteBuffer.wrap(record.headers()
                        .lastHeader("kafka_dlt-original-partition")
                        .value())
                .getInt();
    }

    private static Set<String> producerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .map(Thread::getName)
                .filter(n -> n.startsWith("kafka-producer-network-thread"))
                .collect(Collectors.toSet());
    }
}
