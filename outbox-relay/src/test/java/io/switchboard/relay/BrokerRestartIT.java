package io.switchboard.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.relay.outbox.OutboxWriter;
import io.switchboard.relay.outbox.OutboxWriter.OutboxMessage;
import io.switchboard.testkit.KafkaTestClient;
import io.switchboard.testkit.ProjectRoot;
import io.switchboard.testkit.TestDatabase;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real broker (scripts/kafka.sh, its own port and folder) stopped and started again while the relay runs: the
 * relay pauses, resumes by itself, and every row written meanwhile reaches Kafka.
 */
class BrokerRestartIT {

    private final Path state =
            Path.of("target", "broker-restart-" + UUID.randomUUID()).toAbsolutePath();
    private int port;

    @Test
    void theRelaySurvivesABrokerRestartAndLosesNothing() throws Exception {
        port = freePort();
        String kafka = "127.0.0.1:" + port;
        broker("start");
        try (TestDatabase db = TestDatabase.postgres();
                ConfigurableApplicationContext relay = OutboxRelayApplication.builder()
                        .run(
                                "--spring.kafka.bootstrap-servers=" + kafka,
                                "--spring.datasource.url=" + db.jdbcUrl(),
                                "--server.port=0",
                                "--switchboard.outbox.ack-timeout=5s",
                                "--switchboard.outbox.max-backoff=1s")) {
            OutboxWriter writer = relay.getBean(OutboxWriter.class);
            String key = "restart-" + UUID.randomUUID();
            writer.write(OutboxMessage.of("audit.progress", "audit", key, "{\"step\":0}"));
            try (KafkaTestClient topic = KafkaTestClient.subscribe(kafka, "realtime.events")) {
                assertThat(topic.withKey(key, 1, Duration.ofSeconds(30))).hasSize(1);
            }

            broker("stop");
            for (int i = 1; i <= 5; i++) {
                writer.write(OutboxMessage.of("audit.progress", "audit", key, "{\"step\":" + i + "}"));
            }
            await().during(Duration.ofSeconds(2))
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> db.rowCount("switchboard_outbox") == 5);
            broker("start");

            try (KafkaTestClient topic = KafkaTestClient.subscribe(kafka, "realtime.events")) {
                var avro = new io.switchboard.schemas.wire.AvroDeserializer<>(
                        io.switchboard.schemas.RealtimeEvent.class,
                        io.switchboard.schemas.wire.PinnedSchemaRegistry.instance());
                var json = tools.jackson.databind.json.JsonMapper.builder().build();
                assertThat(topic.withKey(key, 6, Duration.ofSeconds(90)).stream()
                                .map(r -> json.readTree(avro.deserialize(r.topic(), r.value())
                                                .getPayload())
                                        .get("step")
                                        .asInt())
                                .distinct())
                        .as("every row, the ones written while the broker was down included")
                        .containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> db.rowCount("switchboard_outbox") == 0);
        } finally {
            broker("stop");
        }
    }

    private void broker(String command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(
                        "bash", ProjectRoot.path().resolve("scripts/kafka.sh").toString(), command)
                .inheritIO();
        Map<String, String> env = builder.environment();
        env.put("KAFKA_PORT", Integer.toString(port));
        env.put("KAFKA_STATE_DIR", state.toString());
        Process process = builder.start();
        assertThat(process.waitFor(180, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("scripts/kafka.sh %s", command).isZero();
    }

    /** A free port whose next port is free too (the controller's). */
    private static int freePort() throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            int candidate;
            try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                candidate = socket.getLocalPort();
            }
            try (ServerSocket next = new ServerSocket(candidate + 1, 1, java.net.InetAddress.getLoopbackAddress())) {
                return candidate;
            } catch (IOException busy) {
                // try another
            }
        }
        throw new IOException("no two adjacent free ports");
    }
}
