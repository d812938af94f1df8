package io.switchboard.router.ingest;

import static io.switchboard.testkit.KafkaTestClient.header;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.router.RouterApplication;
import io.switchboard.schemas.ChannelPublish;
import io.switchboard.schemas.RealtimeEvent;
import io.switchboard.schemas.wire.AvroDeserializer;
import io.switchboard.schemas.wire.AvroSerializer;
import io.switchboard.schemas.wire.PinnedSchemaRegistry;
import io.switchboard.testkit.KafkaTestBroker;
import io.switchboard.testkit.KafkaTestClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Bad records on realtime.events never stop the router: each goes to realtime.events.dlq with its reason and
 * original coordinates, and every good record around them is routed, in order, on a real broker.
 */
class RouterDeadLetterIT {

    private static String kafka;
    private static ConfigurableApplicationContext router;
    private static final String KEY = "audit-" + UUID.randomUUID();

    @BeforeAll
    static void start() {
        kafka = KafkaTestBroker.bootstrapServers();
        router = RouterApplication.builder().run("--spring.kafka.bootstrap-servers=" + kafka, "--server.port=0");
    }

    @AfterAll
    static void stop() {
        if (router != null) {
            router.close();
        }
    }

    @Test
    void badRecordsAreDeadLetteredWithTheirReasonAndGoodOnesStillFlowInOrder() throws Exception {
        byte[] good1 = event("1", "{\"audit_id\":\"A\",\"fiche_id\":\"F\",\"step_position\":1}");
        byte[] good2 = event("2", "{\"audit_id\":\"A\",\"fiche_id\":\"F\",\"step_position\":2}");
        byte[] good3 = event("3", "{\"audit_id\":\"A\",\"fiche_id\":\"F\",\"step_position\":3}");
        byte[] unknownSchema = good1.clone();
        unknownSchema[4] = 42;
        Map<String, byte[]> bad = new LinkedHashMap<>();
        bad.put("NOT_FRAMED", "{\"type\":\"audit.started\"}".getBytes(StandardCharsets.UTF_8));
        bad.put("UNKNOWN_SCHEMA_ID", unknownSchema);
        bad.put("TRUNCATED", java.util.Arrays.copyOf(good1, 20));
        bad.put("UNSAFE_PLACEHOLDER", event("4", "{\"audit_id\":\"A.private-org.1\"}"));
        bad.put("PAYLOAD_NOT_OBJECT", event("5", "[1,2,3]"));
        bad.put("PAYLOAD_NOT_JSON", event("6", "{not json"));

        try (KafkaProducer<String, byte[]> producer = KafkaTestClient.rawProducer(kafka)) {
            producer.send(new ProducerRecord<>("realtime.events", KEY, good1));
            for (byte[] value : bad.values()) {
                producer.send(new ProducerRecord<>("realtime.events", KEY, value));
                producer.send(new ProducerRecord<>("realtime.events", KEY, good2));
            }
            producer.send(new ProducerRecord<>("realtime.events", KEY, good3)).get();
        }

        List<ConsumerRecord<String, byte[]>> published;
        List<ConsumerRecord<String, byte[]>> deadLetters;
        try (KafkaTestClient topics = KafkaTestClient.subscribe(kafka, "realtime.publish", "realtime.events.dlq")) {
            List<ConsumerRecord<String, byte[]>> all = topics.pollUntil(Duration.ofSeconds(60), seen -> {
                List<ConsumerRecord<String, byte[]>> mine = KafkaTestClient.withKey(seen, KEY);
                return mine.stream()
                                        .filter(r -> r.topic().equals("realtime.publish"))
                                        .count()
                                == 2 + bad.size()
                        && mine.stream()
                                        .filter(r -> r.topic().equals("realtime.events.dlq"))
                                        .count()
                                == bad.size();
            });
            List<ConsumerRecord<String, byte[]>> mine = KafkaTestClient.withKey(all, KEY);
            published = mine.stream()
                    .filter(r -> r.topic().equals("realtime.publish"))
                    .toList();
            deadLetters = mine.stream()
                    .filter(r -> r.topic().equals("realtime.events.dlq"))
                    .toList();
        }

        AvroDeserializer<ChannelPublish> publishes =
                new AvroDeserializer<>(ChannelPublish.class, PinnedSchemaRegistry.instance());
        List<String> order = published.stream()
                .map(r -> publishes.deserialize(r.topic(), r.value()).getEventId())
                .toList();
        List<String> expectedOrder = new ArrayList<>(List.of("1"));
        bad.keySet().forEach(k -> expectedOrder.add("2"));
        expectedOrder.add("3");
        assertThat(order).containsExactlyElementsOf(expectedOrder);
        assertThat(publishes
                        .deserialize("realtime.publish", published.get(0).value())
                        .getChannels())
                .containsExactly("private-audit-A", "private-fiche-F");

        assertThat(deadLetters)
                .extracting(r -> header(r, "switchboard-reason"))
                .containsExactlyElementsOf(bad.keySet());
        for (ConsumerRecord<String, byte[]> dead : deadLetters) {
            assertThat(header(dead, "kafka_dlt-original-topic")).isEqualTo("realtime.events");
            assertThat(dead.headers().lastHeader("kafka_dlt-original-offset")).isNotNull();
            assertThat(dead.headers().lastHeader("kafka_dlt-original-partition"))
                    .isNotNull();
            assertThat(dead.headers().lastHeader("kafka_dlt-original-timestamp"))
                    .isNotNull();
            assertThat(header(dead, "kafka_dlt-exception-message")).isNotBlank();
        }
        // undecodable records keep their original bytes, so nothing is lost
        assertThat(deadLetters.get(0).value()).isEqualTo(bad.get("NOT_FRAMED"));
    }

    private static byte[] event(String id, String payload) {
        RealtimeEvent event = RealtimeEvent.newBuilder()
                .setEventId(id)
                .setType("audit.step_completed")
                .setOccurredAt(Instant.now())
                .setSource("test")
                .setAggregateType("audit")
                .setAggregateId(KEY)
                .setPayload(payload)
                .build();
        return new AvroSerializer<RealtimeEvent>().serialize("realtime.events", event);
    }
}
