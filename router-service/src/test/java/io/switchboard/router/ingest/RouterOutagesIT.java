package io.switchboard.router.ingest;

import static io.switchboard.testkit.KafkaTestClient.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.router.RouterApplication;
import io.switchboard.schemas.ChannelPublish;
import io.switchboard.schemas.RealtimeEvent;
import io.switchboard.schemas.wire.AvroDeserializer;
import io.switchboard.schemas.wire.AvroSerializer;
import io.switchboard.schemas.wire.PinnedSchemaRegistry;
import io.switchboard.schemas.wire.SchemaRegistry;
import io.switchboard.testkit.KafkaTestBroker;
import io.switchboard.testkit.KafkaTestClient;
import io.switchboard.testkit.SchemaRegistryStandIn;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * router-service when what it depends on fails for a while, on a real broker: nothing is dead-lettered, nothing is
 * dropped by the progress guard, and everything is routed in order once the outage ends.
 */
class RouterOutagesIT {

    private static final AvroDeserializer<ChannelPublish> PUBLISHES =
            new AvroDeserializer<>(ChannelPublish.class, PinnedSchemaRegistry.instance());

    private final String kafka = KafkaTestBroker.bootstrapServers();
    private final String suffix = UUID.randomUUID().toString();
    private final String in = "events-" + suffix;
    private final String out = "publish-" + suffix;
    private final String dlq = "events-dlq-" + suffix;

    private ConfigurableApplicationContext router(String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--spring.kafka.bootstrap-servers=" + kafka,
                "--server.port=0",
                "--switchboard.router.input-topic=" + in,
                "--switchboard.router.output-topic=" + out,
                "--switchboard.router.dead-letter-topic=" + dlq));
        args.addAll(List.of(extra));
        return RouterApplication.builder().run(args.toArray(String[]::new));
    }

    @Test
    void slowOutputIsRetriedNotDeadLetteredAndTheGuardKeepsTheBatch() throws Exception {
        // the defect: each attempt waited for its sends, and after six attempts whole batches went to the DLQ as
        // RETRIES_EXHAUSTED, with the guard already advanced for them (their progress dropped when consumed again)
        try (ConfigurableApplicationContext router = router(
                        "--switchboard.router.send-timeout=2s",
                        "--spring.kafka.producer.properties.delivery.timeout.ms=2000",
                        "--spring.kafka.producer.properties.request.timeout.ms=1000");
                Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka))) {
            // realtime.publish refuses every write: acks=all with fewer in-sync replicas than it requires
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, out);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> admin.listTopics().names().get().contains(out));
            admin.incrementalAlterConfigs(Map.of(
                            topic,
                            List.of(new AlterConfigOp(
                                    new ConfigEntry("min.insync.replicas", "2"), AlterConfigOp.OpType.SET))))
                    .all()
                    .get();

            String key = "audit-" + suffix;
            List<String> ids = List.of("p10", "p50", "step", "p70");
            try (KafkaProducer<String, byte[]> producer = KafkaTestClient.rawProducer(kafka)) {
                send(producer, key, "p10", "audit.progress", "{\"audit_id\":\"A\",\"progress_percentage\":10}");
                send(producer, key, "p50", "audit.progress", "{\"audit_id\":\"A\",\"progress_percentage\":50}");
                send(producer, key, "step", "audit.step_completed", "{\"audit_id\":\"A\",\"step_position\":1}");
                send(producer, key, "p70", "audit.progress", "{\"audit_id\":\"A\",\"progress_percentage\":70}");
                producer.flush();
            }

            try (KafkaTestClient dead = KafkaTestClient.subscribe(kafka, dlq)) {
                // longer than the old code took to give up (six attempts of a 2 s timeout and a 1 s pause)
                await().during(Duration.ofSeconds(22))
                        .atMost(Duration.ofSeconds(30))
                        .until(() -> dead.pollUntil(Duration.ofMillis(200), seen -> true)
                                .isEmpty());
            }
            admin.incrementalAlterConfigs(Map.of(
                            topic,
                            List.of(new AlterConfigOp(
                                    new ConfigEntry("min.insync.replicas", ""), AlterConfigOp.OpType.DELETE))))
                    .all()
                    .get();

            try (KafkaTestClient published = KafkaTestClient.subscribe(kafka, out, dlq)) {
                List<ConsumerRecord<String, byte[]>> seen = published.pollUntil(
                        Duration.ofSeconds(60),
                        records -> distinctIds(records, out).containsAll(ids));
                assertThat(distinctIds(seen, out)).containsExactlyElementsOf(ids);
                assertThat(seen).noneMatch(r -> r.topic().equals(dlq));
            }
        }
    }

    @Test
    void schemaRegistryBlipIsRetriedNotDeadLettered() throws Exception {
        // the defect: REGISTRY_UNAVAILABLE was not retryable, so after a restart every record whose schema id was
        // not cached yet went to the DLQ
        try (SchemaRegistryStandIn registry = SchemaRegistryStandIn.start();
                ConfigurableApplicationContext router =
                        router("--spring.kafka.properties.schema.registry.url=" + registry.url())) {
            AvroSerializer<RealtimeEvent> serializer = new AvroSerializer<>(SchemaRegistry.forUrl(registry.url()));
            String key = "fiche-" + suffix;
            List<byte[]> values = new ArrayList<>();
            for (String id : List.of("t1", "t2", "t3")) {
                values.add(serializer.serialize(in, event(key, id, "transcription.progress", "{\"fiche_id\":\"F\"}")));
            }
            registry.down(true); // the router has not read these schema ids yet
            try (KafkaProducer<String, byte[]> producer = KafkaTestClient.rawProducer(kafka)) {
                for (byte[] value : values) {
                    producer.send(new ProducerRecord<>(in, key, value));
                }
                producer.flush();
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> registry.refused() >= 2);
            try (KafkaTestClient dead = KafkaTestClient.subscribe(kafka, dlq)) {
                await().during(Duration.ofSeconds(3))
                        .atMost(Duration.ofSeconds(10))
                        .until(() -> dead.pollUntil(Duration.ofMillis(200), seen -> true)
                                .isEmpty());
            }
            registry.down(false);
            AvroDeserializer<ChannelPublish> publishes =
                    new AvroDeserializer<>(ChannelPublish.class, SchemaRegistry.forUrl(registry.url()));
            try (KafkaTestClient topics = KafkaTestClient.subscribe(kafka, out, dlq)) {
                List<ConsumerRecord<String, byte[]>> seen = topics.pollUntil(
                        Duration.ofSeconds(60),
                        records -> distinctIds(records, out, publishes).size() == 3);
                assertThat(distinctIds(seen, out, publishes)).containsExactly("t1", "t2", "t3");
                assertThat(seen).noneMatch(r -> r.topic().equals(dlq));
            }
        }
    }

    @Test
    void deadLettersGoToADeadLetterTopicWithFewerPartitionsThanTheSource() throws Exception {
        // a DLQ with fewer partitions than its source failed every write when dead letters kept the partition
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka))) {
            admin.createTopics(List.of(
                            new org.apache.kafka.clients.admin.NewTopic(in, 3, (short) 1),
                            new org.apache.kafka.clients.admin.NewTopic(dlq, 1, (short) 1)))
                    .all()
                    .get();
        }
        try (ConfigurableApplicationContext router = router()) {
            List<String> keys = List.of("k0-" + suffix, "k1-" + suffix, "k2-" + suffix, "k3-" + suffix);
            try (KafkaProducer<String, byte[]> producer = KafkaTestClient.rawProducer(kafka)) {
                for (int p = 0; p < 3; p++) {
                    producer.send(new ProducerRecord<>(in, p, keys.get(p), new byte[] {9, 9, 9}));
                }
                producer.flush();
            }
            try (KafkaTestClient dead = KafkaTestClient.subscribe(kafka, dlq)) {
                List<ConsumerRecord<String, byte[]>> seen =
                        dead.pollUntil(Duration.ofSeconds(60), records -> records.size() == 3);
                assertThat(seen)
                        .extracting(r -> header(r, "switchboard-reason"))
                        .containsOnly("NOT_FRAMED");
                assertThat(seen)
                        .extracting(r -> java.nio.ByteBuffer.wrap(r.headers()
                                        .lastHeader("kafka_dlt-original-partition")
                                        .value())
                                .getInt())
                        .containsExactlyInAnyOrder(0, 1, 2);
            }
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka))) {
            assertThat(admin.describeTopics(List.of(dlq))
                            .allTopicNames()
                            .get()
                            .get(dlq)
                            .partitions())
                    .as("an existing topic is left as it is (Spring's KafkaAdmin used to add partitions to it)")
                    .hasSize(1);
        }
    }

    private static List<String> distinctIds(List<ConsumerRecord<String, byte[]>> records, String topic) {
        return distinctIds(records, topic, PUBLISHES);
    }

    private static List<String> distinctIds(
            List<ConsumerRecord<String, byte[]>> records, String topic, AvroDeserializer<ChannelPublish> publishes) {
        return records.stream()
                .filter(r -> r.topic().equals(topic))
                .map(r -> publishes.deserialize(r.topic(), r.value()).getEventId())
                .distinct()
                .toList();
    }

    private void send(KafkaProducer<String, byte[]> producer, String key, String id, String type, String payload) {
        producer.send(new ProducerRecord<>(
                in, key, new AvroSerializer<RealtimeEvent>().serialize(in, event(key, id, type, payload))));
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
