package io.switchboard.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.relay.outbox.OutboxWriter;
import io.switchboard.relay.outbox.OutboxWriter.OutboxMessage;
import io.switchboard.relay.relay.RelayLoop;
import io.switchboard.testkit.KafkaTestBroker;
import io.switchboard.testkit.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What an operator sees, over HTTP as a scraper and a probe see it: the relay's meters, its health with the role
 * (active or standby), health DOWN with the reason once it cannot make progress, and no secret anywhere.
 */
@ExtendWith(OutputCaptureExtension.class)
class RelayHealthAndMetricsIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SECRET = "hunter2-not-for-logs";
    private final HttpClient http = HttpClient.newHttpClient();

    private static ConfigurableApplicationContext relay(TestDatabase db) {
        return OutboxRelayApplication.builder()
                .run(
                        "--spring.kafka.bootstrap-servers=" + KafkaTestBroker.bootstrapServers(),
                        // Postgres here trusts local connections: the password is ignored, but it is in the URL
                        "--spring.datasource.url=" + db.jdbcUrl() + "&password=" + SECRET,
                        "--server.port=0",
                        "--switchboard.outbox.standby-retry=200ms",
                        "--switchboard.outbox.max-backoff=200ms",
                        // DOWN soon after the table is dropped; unhealthy-after must be longer than ack-timeout
                        "--switchboard.outbox.ack-timeout=3s",
                        "--switchboard.outbox.unhealthy-after=4s");
    }

    private HttpResponse<String> get(ConfigurableApplicationContext relay, String path) throws Exception {
        String port = relay.getEnvironment().getProperty("local.server.port");
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode relayHealth(ConfigurableApplicationContext relay) throws Exception {
        return JSON.readTree(get(relay, "/actuator/health").body())
                .get("components")
                .get("outboxRelay");
    }

    private double metric(ConfigurableApplicationContext relay, String series) throws Exception {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.Ee+-]+)$")
                .matcher(get(relay, "/actuator/prometheus").body());
        assertThat(m.find()).as("series %s", series).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void metricsAndHealthSayWhatTheRelayDidAndDownWhenItCannotProgress(CapturedOutput output) throws Exception {
        Set<String> producersBefore = producerThreads();
        try (TestDatabase db = TestDatabase.postgres()) {
            try (ConfigurableApplicationContext active = relay(db)) {
                await().atMost(Duration.ofSeconds(10)).until(active.getBean(RelayLoop.class)::active);
                OutboxWriter writer = active.getBean(OutboxWriter.class);
                String key = "metrics-" + UUID.randomUUID();
                for (int i = 0; i < 3; i++) {
                    writer.write(OutboxMessage.of("audit.progress", "audit", key, "{\"n\":" + i + "}"));
                }
                writer.write(OutboxMessage.of("audit.progress", "audit", key, "[\"not an object\"]"));
                await().atMost(Duration.ofSeconds(20)).until(() -> db.rowCount("switchboard_outbox") == 0);

                await().atMost(Duration.ofSeconds(5))
                        .untilAsserted(() -> assertThat(metric(active, "switchboard_relay_published_total"))
                                .isEqualTo(3.0));
                assertThat(metric(active, "switchboard_relay_dead_lettered_total{reason=\"PAYLOAD_NOT_OBJECT\"}"))
                        .isEqualTo(1.0);
                assertThat(metric(active, "switchboard_relay_dead_lettered_total{reason=\"ROW_TOO_LARGE\"}"))
                        .as("every reason has a series")
                        .isZero();
                assertThat(metric(active, "switchboard_relay_lag_seconds_count"))
                        .isEqualTo(3.0);
                assertThat(metric(active, "switchboard_relay_active")).isEqualTo(1.0);
                assertThat(metric(active, "switchboard_relay_failures_total")).isZero();

                HttpResponse<String> up = get(active, "/actuator/health");
                assertThat(up.statusCode()).isEqualTo(200);
                JsonNode health = relayHealth(active);
                assertThat(health.get("status").asString()).isEqualTo("UP");
                assertThat(health.get("details").get("role").asString()).isEqualTo("active");
                assertThat(health.get("details").get("table").asString()).isEqualTo("switchboard_outbox");
                assertThat(health.get("details").get("lock").asString())
                        .isEqualTo("switchboard-outbox:test." + db.name() + ".switchboard_outbox");

                try (ConfigurableApplicationContext standby = relay(db)) {
                    await().atMost(Duration.ofSeconds(5))
                            .untilAsserted(() -> assertThat(relayHealth(standby)
                                            .get("details")
                                            .get("role")
                                            .asString())
                                    .isEqualTo("standby"));
                    assertThat(relayHealth(standby).get("status").asString()).isEqualTo("UP");
                    assertThat(metric(standby, "switchboard_relay_active")).isZero();

                    // a relay that cannot make progress: its table is gone
                    try (Connection c = db.connect();
                            Statement s = c.createStatement()) {
                        s.execute("DROP TABLE switchboard_outbox CASCADE");
                    }
                    await().atMost(Duration.ofSeconds(20))
                            .untilAsserted(() -> assertThat(
                                            get(active, "/actuator/health").statusCode())
                                    .isEqualTo(503));
                    JsonNode down = relayHealth(active);
                    assertThat(down.get("status").asString()).isEqualTo("DOWN");
                    assertThat(down.get("details").get("reason").asString())
                            .contains("no progress for")
                            .contains("switchboard_outbox");
                    assertThat(metric(active, "switchboard_relay_failures_total"))
                            .isPositive();
                    assertThat(get(active, "/actuator/health").body()).doesNotContain(SECRET);
                }
            }
        }
        assertThat(output.getAll()).as("no secret in the logs").doesNotContain(SECRET);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(producerThreads())
                        .as("closing the relay closes its Kafka producer")
                        .isSubsetOf(producersBefore));
    }

    private static Set<String> producerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.startsWith("kafka-producer-network-thread"))
                .collect(Collectors.toSet());
    }
}
