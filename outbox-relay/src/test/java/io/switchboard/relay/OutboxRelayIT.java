package io.switchboard.relay;

import static io.switchboard.testkit.KafkaTestClient.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.relay.outbox.OutboxWriter;
import io.switchboard.relay.outbox.OutboxWriter.OutboxMessage;
import io.switchboard.schemas.RealtimeEvent;
import io.switchboard.schemas.wire.AvroDeserializer;
import io.switchboard.schemas.wire.PinnedSchemaRegistry;
import io.switchboard.testkit.KafkaTestBroker;
import io.switchboard.testkit.KafkaTestClient;
import io.switchboard.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.json.JsonMapper;

/** outbox-relay on the real Postgres of this machine and a real Kafka broker. */
class OutboxRelayIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static TestDatabase db;
    private static String kafka;
    private static ConfigurableApplicationContext relay;

    @BeforeAll
    static void start() {
        kafka = KafkaTestBroker.bootstrapServers();
        db = TestDatabase.postgres();
        relay = OutboxRelayApplication.builder()
                .run(
                        "--spring.kafka.bootstrap-servers=" + kafka,
                        "--spring.datasource.url=" + db.jdbcUrl(),
                        "--server.port=0",
                        "--switchboard.outbox.batch-size=50",
                        "--switchboard.outbox.poll-interval=20ms");
    }

    @AfterAll
    static void stop() {
        if (relay != null) {
            relay.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void concurrentWritersKeepPerAggregateOrderAndBadRowsGoToTheDeadLetterTopic() throws Exception {
        OutboxWriter writer = relay.getBean(OutboxWriter.class);
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> aggregates = List.of("audit-" + run + "-a", "audit-" + run + "-b", "audit-" + run + "-c");
        int perAggregate = 120;

        ExecutorService writers = Executors.newFixedThreadPool(aggregates.size());
        List<Future<?>> done = new ArrayList<>();
        for (String aggregate : aggregates) {
            done.add(writers.submit(() -> {
                for (int i = 0; i < perAggregate; i++) {
                    writer.write(OutboxMessage.of(
                            "audit.progress",
                            "audit",
                            aggregate,
                            "{\"audit_id\":\"" + aggregate + "\",\"completed_steps\":" + i + "}"));
                }
            }));
        }
        // bad rows, written as plain SQL the way a careless producer would
        String badKey = "bad-" + run;
        try (Connection c = db.connect();
                Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO switchboard_outbox (type, aggregate_id, payload) VALUES ('audit.progress', '"
                    + badKey + "', '[1,2,3]')");
            s.executeUpdate(
                    "INSERT INTO switchboard_outbox (type, aggregate_id, payload) VALUES ('', '" + badKey + "', '{}')");
            s.executeUpdate("INSERT INTO switchboard_outbox (type, aggregate_id, payload, channels) VALUES"
                    + " ('audit.progress', '" + badKey + "', '{}', '{\"not\":\"an array\"}')");
        }
        for (Future<?> f : done) {
            f.get();
        }
        writers.shutdown();

        AvroDeserializer<RealtimeEvent> avro =
                new AvroDeserializer<>(RealtimeEvent.class, PinnedSchemaRegistry.instance());
        try (KafkaTestClient topics = KafkaTestClient.subscribe(kafka, "realtime.events", "realtime.events.dlq")) {
            List<ConsumerRecord<String, byte[]>> all = topics.pollUntil(
                    Duration.ofSeconds(60),
                    seen -> seen.stream()
                                            .filter(r -> aggregates.contains(r.key()))
                                            .count()
                                    >= (long) perAggregate * aggregates.size()
                            && KafkaTestClient.withKey(seen, badKey).size() >= 3);

            Map<String, List<Integer>> stepsByAggregate = all.stream()
                    .filter(r -> r.topic().equals("realtime.events") && aggregates.contains(r.key()))
                    .collect(Collectors.groupingBy(
                            ConsumerRecord::key,
                            Collectors.mapping(
                                    r -> JSON.readTree(avro.deserialize(r.topic(), r.value())
                                                    .getPayload())
                                            .get("completed_steps")
                                            .asInt(),
                                    Collectors.toList())));
            List<Integer> expected =
                    java.util.stream.IntStream.range(0, perAggregate).boxed().toList();
            for (String aggregate : aggregates) {
                assertThat(stepsByAggregate.get(aggregate))
                        .as("order of %s", aggregate)
                        .isEqualTo(expected);
            }
            assertThat(KafkaTestClient.withKey(all, badKey))
                    .allSatisfy(r -> assertThat(r.topic()).isEqualTo("realtime.events.dlq"))
                    .extracting(r -> header(r, "switchboard-reason"))
                    .containsExactly("PAYLOAD_NOT_OBJECT", "MISSING_TYPE", "CHANNELS_NOT_STRING_ARRAY");
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            try (Connection c = db.connect();
                    Statement s = c.createStatement();
                    var rs = s.executeQuery("SELECT count(*) FROM switchboard_outbox")) {
                rs.next();
                assertThat(rs.getInt(1))
                        .as("every published or dead-lettered row is deleted")
                        .isZero();
            }
        });
    }
}
