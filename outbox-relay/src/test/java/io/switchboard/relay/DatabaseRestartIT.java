package io.switchboard.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.relay.outbox.OutboxWriter;
import io.switchboard.relay.outbox.OutboxWriter.OutboxMessage;
import io.switchboard.relay.relay.RelayLoop;
import io.switchboard.schemas.RealtimeEvent;
import io.switchboard.schemas.wire.AvroDeserializer;
import io.switchboard.schemas.wire.PinnedSchemaRegistry;
import io.switchboard.testkit.KafkaTestBroker;
import io.switchboard.testkit.KafkaTestClient;
import io.switchboard.testkit.TestDatabase;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.json.JsonMapper;

/**
 * The machine's Postgres restarted (pg_ctlcluster) while the relay runs: every session ends, new ones are refused
 * for a moment, and the relay (its pool, its lock and its LISTEN connection) comes back by itself and loses nothing.
 * Needs pg_ctlcluster and the right to use it, as on the project's machines and CI; elsewhere it is skipped.
 */
class DatabaseRestartIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final AvroDeserializer<RealtimeEvent> AVRO =
            new AvroDeserializer<>(RealtimeEvent.class, PinnedSchemaRegistry.instance());

    private static int step(ConsumerRecord<String, byte[]> record) {
        return JSON.readTree(AVRO.deserialize(record.topic(), record.value()).getPayload())
                .get("step")
                .asInt();
    }

    @Test
    void theRelaySurvivesAPostgresRestartAndLosesNothing() throws Exception {
        Path clusters = Path.of("/etc/postgresql");
        Assumptions.assumeTrue(
                new File("/usr/bin/pg_ctlcluster").canExecute() && Files.isDirectory(clusters),
                "pg_ctlcluster is not available: cannot restart Postgres here");
        String version;
        try (var versions = Files.list(clusters)) {
            version = versions.map(p -> p.getFileName().toString())
                    .sorted()
                    .findFirst()
                    .orElseThrow();
        }
        String kafka = KafkaTestBroker.bootstrapServers();
        String key = "pg-restart-" + UUID.randomUUID();
        try (TestDatabase db = TestDatabase.postgres();
                ConfigurableApplicationContext relay = OutboxRelayApplication.builder()
                        .run(
                                "--spring.kafka.bootstrap-servers=" + kafka,
                                "--spring.datasource.url=" + db.jdbcUrl(),
                                "--server.port=0",
                                "--switchboard.outbox.max-backoff=1s")) {
            OutboxWriter writer = relay.getBean(OutboxWriter.class);
            RelayLoop loop = relay.getBean(RelayLoop.class);
            writer.write(OutboxMessage.of("audit.progress", "audit", key, "{\"step\":0}"));
            try (KafkaTestClient topic = KafkaTestClient.subscribe(kafka, "realtime.events")) {
                assertThat(topic.withKey(key, 1, Duration.ofSeconds(30))).hasSize(1);
            }

            Process restart = new ProcessBuilder(
                            "pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart")
                    .inheritIO()
                    .start();
            assertThat(restart.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(restart.exitValue()).as("pg_ctlcluster restart").isZero();

            for (int i = 1; i <= 5; i++) {
                int step = i;
                // the writer retries too, as a service would while its database comes back
                await().atMost(Duration.ofSeconds(30))
                        .ignoreExceptions()
                        .until(() -> writer.write(
                                        OutboxMessage.of("audit.progress", "audit", key, "{\"step\":" + step + "}"))
                                != null);
            }
            try (KafkaTestClient topic = KafkaTestClient.subscribe(kafka, "realtime.events")) {
                // at least once: a row may come twice around the restart, but each one comes, and in order
                List<Integer> steps = topic
                        .pollUntil(
                                Duration.ofSeconds(60),
                                seen -> KafkaTestClient.withKey(seen, key).stream()
                                                .map(DatabaseRestartIT::step)
                                                .distinct()
                                                .count()
                                        >= 6)
                        .stream()
                        .filter(r -> key.equals(r.key()))
                        .map(DatabaseRestartIT::step)
                        .toList();
                assertThat(steps.stream().distinct())
                        .as("every row delivered, first copies in the order they were written")
                        .containsExactly(0, 1, 2, 3, 4, 5);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> db.rowCount("switchboard_outbox") == 0);
            await().atMost(Duration.ofSeconds(10)).until(loop::active);
        }
    }
}
