package io.switchboard.relay.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.switchboard.relay.OutboxRelayApplication;
import io.switchboard.testkit.KafkaTestBroker;
import io.switchboard.testkit.KafkaTestClient;
import io.switchboard.testkit.OperatorEnvironment;
import io.switchboard.testkit.TestDatabase;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The relay's environment variables, set the way an operator sets them, change what it does: a
 * {@code --switchboard.outbox.table} argument would bypass outbox-relay.yml's {@code ${SWITCHBOARD_OUTBOX_TABLE}}
 * mapping, and relaxed binding ({@code SWITCHBOARD_OUTBOX_MAXRECORDBYTES}) applies to environment variables only.
 */
class RelaySettingsIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String kafka = KafkaTestBroker.bootstrapServers();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void tablePortBindAddressRecordLimitAndUnhealthyAfterComeFromTheEnvironmentVariables() throws Exception {
        String table = "env_outbox_" + UUID.randomUUID().toString().substring(0, 8);
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        StandardEnvironment environment = OperatorEnvironment.of(Map.of(
                "SWITCHBOARD_OUTBOX_TABLE", table,
                "RELAY_PORT", Integer.toString(port),
                "SWITCHBOARD_BIND_ADDRESS", "127.0.0.2",
                "SWITCHBOARD_OUTBOX_MAXRECORDBYTES", "200000",
                "SWITCHBOARD_OUTBOX_UNHEALTHYAFTER", "45s"));
        try (TestDatabase db = TestDatabase.postgres();
                ConfigurableApplicationContext relay = OutboxRelayApplication.builder()
                        .environment(environment)
                        .run(
                                "--spring.kafka.bootstrap-servers=" + kafka,
                                "--spring.datasource.url=" + db.jdbcUrl(),
                                "--switchboard.outbox.standby-retry=200ms")) {
            RelayProperties bound = relay.getBean(RelayProperties.class);
            assertThat(bound.table()).isEqualTo(table);
            assertThat(bound.maxRecordBytes()).isEqualTo(200_000);
            assertThat(bound.unhealthyAfter()).isEqualTo(Duration.ofSeconds(45));

            // rows written to the table the variable names, as plain SQL, are relayed and deleted
            String key = "env-" + UUID.randomUUID();
            try (Connection c = db.connect();
                    Statement s = c.createStatement()) {
                for (int i = 0; i < 3; i++) {
                    s.executeUpdate(
                            "INSERT INTO " + table + " (type, aggregate_id, payload) VALUES ('audit.progress', '" + key
                                    + "', '{\"completed_steps\":" + i + "}')");
                }
                try (ResultSet rs = s.executeQuery("SELECT to_regclass('switchboard_outbox') IS NULL")) {
                    rs.next();
                    assertThat(rs.getBoolean(1))
                            .as("no table of the default name")
                            .isTrue();
                }
            }
            try (KafkaTestClient events = KafkaTestClient.subscribe(kafka, "realtime.events")) {
                assertThat(events.withKey(key, 3, Duration.ofSeconds(30))).hasSize(3);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> db.rowCount(table) == 0);

            HttpResponse<String> health = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.2:" + port + "/actuator/health"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            JsonNode relayHealth =
                    JSON.readTree(health.body()).get("components").get("outboxRelay");
            assertThat(relayHealth.get("details").get("table").asString()).isEqualTo(table);
            assertThatThrownBy(() -> http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString()))
                    .as("bound to 127.0.0.2 only")
                    .isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void twoOutboxTablesInOneSchemaEachGetTheirTable() throws Exception {
        // the defect: one Flyway history per schema, so the second table's migrations counted as applied and its
        // table was never created ("relation ... does not exist" on the first insert)
        String first = "first_outbox_" + UUID.randomUUID().toString().substring(0, 8);
        String second = "second_outbox_" + UUID.randomUUID().toString().substring(0, 8);
        try (TestDatabase db = TestDatabase.postgres()) {
            for (String table : new String[] {first, second}) {
                try (ConfigurableApplicationContext relay = OutboxRelayApplication.builder()
                        .run(
                                "--spring.kafka.bootstrap-servers=" + kafka,
                                "--spring.datasource.url=" + db.jdbcUrl(),
                                "--switchboard.outbox.table=" + table,
                                "--server.port=0")) {
                    assertThat(relay.isRunning()).isTrue();
                }
            }
            assertThat(db.rowCount(first)).isZero();
            assertThat(db.rowCount(second)).as("the second table exists").isZero();
        }
    }

    @Test
    void aMissingOutboxTableThatFlywayThinksItCreatedStopsStartUpSayingWhatToDo() throws Exception {
        try (TestDatabase db = TestDatabase.postgres()) {
            String[] args = {
                "--spring.kafka.bootstrap-servers=" + kafka,
                "--spring.datasource.url=" + db.jdbcUrl(),
                "--server.port=0"
            };
            try (ConfigurableApplicationContext relay =
                    OutboxRelayApplication.builder().run(args)) {
                assertThat(relay.isRunning()).isTrue();
            }
            try (Connection c = db.connect();
                    Statement s = c.createStatement()) {
                s.executeUpdate("DROP TABLE switchboard_outbox CASCADE");
            }
            assertThatThrownBy(() -> OutboxRelayApplication.builder().run(args))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("switchboard_outbox does not exist")
                    .hasMessageContaining("switchboard_flyway_history");
        }
    }
}
