package io.switchboard.router.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.router.RouterApplication;
import io.switchboard.schemas.RealtimeEvent;
import io.switchboard.schemas.wire.AvroSerializer;
import io.switchboard.testkit.KafkaTestBroker;
import io.switchboard.testkit.KafkaTestClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The router's side of the delivery ledger (issue 15), as PublisherLedgerIT for the publisher: a ledger that Kafka
 * refuses never holds up routing and the loss is counted; a ledger switched off writes nothing. The router writes
 * receipts for policy drops and dead letters, so each case sends progress that goes backwards and a record it
 * refuses, among events it routes.
 */
class RouterLedgerIT {

    private final String kafka = KafkaTestBroker.bootstrapServers();
    private final String suffix = UUID.randomUUID().toString();
    private final String in = "events-ledger-" + suffix;
    private final String out = "publish-ledger-" + suffix;
    private final String dlq = "events-ledger-dlq-" + suffix;
    private final String ledgerTopic = "ledger-router-" + suffix;
    private ConfigurableApplicationContext router;

    @AfterEach
    void stop() {
        if (router != null) {
            router.close();
        }
    }

    private void start(String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--spring.kafka.bootstrap-servers=" + kafka,
                "--server.port=0",
                "--switchboard.router.input-topic=" + in,
                "--switchboard.router.output-topic=" + out,
                "--switchboard.router.dead-letter-topic=" + dlq,
                "--switchboard.ledger.topic=" + ledgerTopic));
        args.addAll(List.of(extra));
        router = RouterApplication.builder().run(args.toArray(String[]::new));
    }

    /**
     * {@code keys} runs whose audit progress goes 50 then 30 (the 30 is dropped: a receipt each), and one event whose
     * placeholder would reach another channel (dead-lettered: a receipt); returns how many receipts that makes.
     */
    private int sendDropsAndADeadLetter(int keys) throws Exception {
        try (KafkaProducer<String, RealtimeEvent> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka),
                new StringSerializer(),
                new AvroSerializer<>())) {
            for (int i = 0; i < keys; i++) {
                String key = "audit-" + i + "-" + suffix;
                for (int percent : new int[] {50, 30}) {
                    producer.send(new ProducerRecord<>(
                            in,
                            key,
                            event(
                                    key,
                                    "p" + percent + "-" + i,
                                    "audit.progress",
                                    "{\"audit_id\":\"A" + i + "\",\"progress_percentage\":" + percent + "}")));
                }
            }
            producer.send(new ProducerRecord<>(
                    in, "bad", event("bad", "bad", "audit.step_completed", "{\"audit_id\":\"A.private-org.1\"}")));
            producer.flush();
        }
        return keys + 1;
    }

    /** Waits until every 50 % event is on the output topic: routing went on. */
    private List<String> routed(int keys) {
        try (KafkaTestClient published = KafkaTestClient.subscribe(kafka, out)) {
            return published.pollUntil(Duration.ofSeconds(60), seen -> seen.size() >= keys).stream()
                    .map(ConsumerRecord::key)
                    .toList();
        }
    }

    @Test
    void aLedgerKafkaRefusesNeverHoldsUpRoutingAndTheLossIsCounted() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka))) {
            admin.createTopics(List.of(new NewTopic(ledgerTopic, 1, (short) 1)
                            .configs(Map.of("max.message.bytes", "64")))) // smaller than any receipt
                    .all()
                    .get();
        }
        start();
        int keys = 20;
        int receipts = sendDropsAndADeadLetter(keys);

        assertThat(routed(keys)).hasSize(keys).allSatisfy(key -> assertThat(key).startsWith("audit-"));
        MeterRegistry meters = router.getBean(MeterRegistry.class);
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> assertThat(count(meters, "switchboard.router.dropped", "reason", "PROGRESS_REGRESSED"))
                                .isEqualTo(keys));
        await().atMost(Duration.ofSeconds(40))
                .untilAsserted(() -> assertThat(count(meters, "switchboard.ledger.receipts", "result", "failed")
                                + count(meters, "switchboard.ledger.receipts", "result", "dropped"))
                        .isEqualTo(receipts));
        assertThat(count(meters, "switchboard.ledger.receipts", "result", "written"))
                .isZero();
    }

    @Test
    void aLedgerSwitchedOffWritesNothingAndRoutingGoesOn() throws Exception {
        start("--switchboard.ledger.enabled=false");
        int keys = 3;
        sendDropsAndADeadLetter(keys);

        assertThat(routed(keys)).hasSize(keys);
        MeterRegistry meters = router.getBean(MeterRegistry.class);
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(
                                count(meters, "switchboard.router.dead_lettered", "reason", "UNSAFE_PLACEHOLDER"))
                        .isEqualTo(1));
        assertThat(count(meters, "switchboard.router.dropped", "reason", "PROGRESS_REGRESSED"))
                .isEqualTo(keys);
        assertThat(meters.find("switchboard.ledger.receipts").counters())
                .as("no ledger, no ledger counters")
                .isEmpty();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka))) {
            assertThat(admin.listTopics().names().get()).doesNotContain(ledgerTopic);
        }
    }

    /** The sum of the counters of this name with these tags (whatever their other tags: the rule, ...). */
    private static double count(MeterRegistry meters, String name, String... tags) {
        return meters.find(name).tags(tags).counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    private static RealtimeEvent event(String key, String id, String type, String payload) {
        return RealtimeEvent.newBuilder()
                .setEventId(id)
                .setType(type)
                .setOccurredAt(Instant.now())
                .setSource("test")
                .setAggregateType("audit")
                .setAggregateId(key)
                .setPayload(payload)
                .setChannels(null)
                .setHeaders(Map.of())
                .build();
    }
}
