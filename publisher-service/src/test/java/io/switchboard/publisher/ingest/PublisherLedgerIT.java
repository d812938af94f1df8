package io.switchboard.publisher.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.publisher.PublisherApplication;
import io.switchboard.schemas.ChannelPublish;
import io.switchboard.schemas.DeliveryReceipt;
import io.switchboard.schemas.wire.AvroDeserializer;
import io.switchboard.schemas.wire.PinnedSchemaRegistry;
import io.switchboard.testkit.KafkaTestBroker;
import io.switchboard.testkit.KafkaTestClient;
import io.switchboard.testkit.PusherStandIn;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The delivery ledger as the publisher writes it (issue 15): one receipt per settled outcome on a real broker, with
 * the Pusher stand-in answering; switched off, nothing; unwritable, delivery goes on and the loss is counted.
 */
class PublisherLedgerIT {

    private static final AvroDeserializer<DeliveryReceipt> RECEIPTS =
            new AvroDeserializer<>(DeliveryReceipt.class, PinnedSchemaRegistry.instance());
    private static final String OVERSIZE = "{\"blob\":\"" + "a".repeat(11_000) + "\"}"; // the stand-in answers 413

    private final String id = UUID.randomUUID().toString();
    private final String topic = "publish-ledger-" + id;
    private final String ledgerTopic = "ledger-" + id;
    private final String kafka = KafkaTestBroker.bootstrapServers();
    private PusherStandIn pusher;
    private ConfigurableApplicationContext publisher;

    @BeforeEach
    void setUp() throws Exception {
        pusher = new PusherStandIn("app-1", "key-1", "secret-of-the-stand-in-0123456789");
    }

    @AfterEach
    void tearDown() {
        if (publisher != null) {
            publisher.close();
        }
        pusher.close();
    }

    private void start(String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--spring.kafka.bootstrap-servers=" + kafka,
                "--server.port=0",
                "--switchboard.publisher.input-topic=" + topic,
                "--switchboard.publisher.dead-letter-topic=" + topic + ".dlq",
                "--switchboard.ledger.topic=" + ledgerTopic,
                "--spring.kafka.consumer.group-id=" + topic));
        args.addAll(pusher.publisherArgs());
        args.addAll(List.of(extra));
        publisher = PublisherApplication.builder().run(args.toArray(String[]::new));
    }

    private static ChannelPublish publish(String eventId, String data, String... channels) {
        ChannelPublish one = Publishes.of(eventId, "audit.step_completed", channels[0], data);
        one.setChannels(List.of(channels));
        return one;
    }

    @Test
    void everySettledOutcomeLeavesAReceiptWithWhereWhenAndWhy() throws Exception {
        start();
        String key = "audit-" + id;
        String ok = "ok-" + id;
        String big = "big-" + id;
        String payload = "{\"audit_id\":\"" + key + "\",\"step_position\":3,\"status\":\"completed\"}";
        RecordMetadata first;
        RecordMetadata again;
        try (KafkaProducer<String, ChannelPublish> producer = Publishes.producer(kafka)) {
            first = producer.send(new ProducerRecord<>(
                            topic, key, publish(ok, payload, "private-audit-" + id, "private-fiche-" + id)))
                    .get();
            producer.send(new ProducerRecord<>(topic, key, publish(big, OVERSIZE, "private-audit-" + id)))
                    .get();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> pusher.delivered().size() == 2);
            // the same event again (a relay or router crash publishes it twice): skipped as a duplicate
            again = producer.send(new ProducerRecord<>(
                            topic, key, publish(ok, payload, "private-audit-" + id, "private-fiche-" + id)))
                    .get();
        }

        List<DeliveryReceipt> receipts = receipts(3);
        assertThat(receipts)
                .extracting(DeliveryReceipt::getEventId, DeliveryReceipt::getOutcome)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(ok, "PUBLISHED"),
                        org.assertj.core.groups.Tuple.tuple(big, "DEAD_LETTERED"),
                        org.assertj.core.groups.Tuple.tuple(ok, "SKIPPED_DUPLICATE"));

        DeliveryReceipt published = outcome(receipts, "PUBLISHED");
        assertThat(published.getStage()).isEqualTo("publisher");
        assertThat(published.getType()).isEqualTo("audit.step_completed");
        assertThat(published.getAggregateId()).isEqualTo(key);
        assertThat(published.getChannels()).containsExactly("private-audit-" + id, "private-fiche-" + id);
        assertThat(published.getAttempts()).isEqualTo(1);
        assertThat(published.getHttpStatus()).isEqualTo(200);
        assertThat(published.getSourceTopic()).isEqualTo(topic);
        assertThat(published.getSourcePartition()).isEqualTo(first.partition());
        assertThat(published.getSourceOffset()).isEqualTo(first.offset());
        assertThat(published.getSettledAt()).isAfterOrEqualTo(published.getRoutedAt());
        assertThat(published.getCommittedAt()).isNotNull();

        DeliveryReceipt skipped = outcome(receipts, "SKIPPED_DUPLICATE");
        assertThat(skipped.getChannels()).containsExactly("private-audit-" + id, "private-fiche-" + id);
        assertThat(skipped.getSourceOffset()).isEqualTo(again.offset());

        DeliveryReceipt dead = outcome(receipts, "DEAD_LETTERED");
        assertThat(dead.getReason()).isEqualTo("PUSHER_REJECTED");
        assertThat(dead.getHttpStatus()).isEqualTo(413);
        assertThat(dead.getAttempts()).isEqualTo(1);
        assertThat(dead.getDetail()).contains("413");
        assertThat(dead.getChannels()).containsExactly("private-audit-" + id);
        assertThat(pusher.delivered()).as("the duplicate was not sent again").hasSize(2);
    }

    @Test
    void aLedgerSwitchedOffWritesNothing() throws Exception {
        start("--switchboard.ledger.enabled=false");
        try (KafkaProducer<String, ChannelPublish> producer = Publishes.producer(kafka)) {
            producer.send(new ProducerRecord<>(topic, "k", publish("off-" + id, "{}", "private-a")))
                    .get();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> pusher.delivered().size() == 1);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka))) {
            assertThat(admin.listTopics().names().get()).doesNotContain(ledgerTopic);
        }
    }

    @Test
    void aLedgerKafkaRefusesNeverHoldsUpDeliveryAndTheLossIsCounted() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka))) {
            admin.createTopics(List.of(new NewTopic(ledgerTopic, 1, (short) 1)
                            .configs(Map.of("max.message.bytes", "64")))) // smaller than any receipt
                    .all()
                    .get();
        }
        start();
        int events = 50;
        try (KafkaProducer<String, ChannelPublish> producer = Publishes.producer(kafka)) {
            for (int i = 0; i < events; i++) {
                producer.send(
                        new ProducerRecord<>(topic, "k" + i, publish("refused-" + i + "-" + id, "{}", "private-a")));
            }
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> pusher.delivered().size() == events);
        MeterRegistry meters = publisher.getBean(MeterRegistry.class);
        await().atMost(Duration.ofSeconds(40))
                .untilAsserted(() -> assertThat(meters.counter("switchboard.ledger.receipts", "result", "failed")
                                .count())
                        .isEqualTo(events));
        assertThat(meters.counter("switchboard.ledger.receipts", "result", "written")
                        .count())
                .isZero();
    }

    private List<DeliveryReceipt> receipts(int count) {
        try (KafkaTestClient ledger = KafkaTestClient.subscribe(kafka, ledgerTopic)) {
            return ledger.pollUntil(Duration.ofSeconds(30), seen -> seen.size() >= count).stream()
                    .map(PublisherLedgerIT::decode)
                    .toList();
        }
    }

    private static DeliveryReceipt decode(ConsumerRecord<String, byte[]> record) {
        DeliveryReceipt receipt = RECEIPTS.deserialize(record.topic(), record.value());
        assertThat(record.key()).as("keyed by event id").isEqualTo(receipt.getEventId());
        return receipt;
    }

    private static DeliveryReceipt outcome(List<DeliveryReceipt> receipts, String outcome) {
        return receipts.stream()
                .filter(r -> r.getOutcome().equals(outcome))
                .findFirst()
                .orElseThrow();
    }
}
