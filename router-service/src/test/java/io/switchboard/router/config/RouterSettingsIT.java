package io.switchboard.router.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.switchboard.router.RouterApplication;
import io.switchboard.router.guard.ProgressStore;
import io.switchboard.router.guard.RedisProgressStore;
import io.switchboard.testkit.KafkaTestBroker;
import io.switchboard.testkit.OperatorEnvironment;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.kafka.core.ConsumerFactory;

/** The environment variables of the README's configuration table change what the router does. */
class RouterSettingsIT {

    private final String kafka = KafkaTestBroker.bootstrapServers();

    @Test
    void portBindAddressAndTopicPartitionsComeFromTheEnvironmentVariables() throws Exception {
        String suffix = UUID.randomUUID().toString();
        String instanceId = "router-settings-" + suffix.substring(0, 8);
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        // as environment variables, the way an operator sets them
        StandardEnvironment environment = OperatorEnvironment.of(Map.of(
                "ROUTER_PORT",
                Integer.toString(port),
                "SWITCHBOARD_BIND_ADDRESS",
                "127.0.0.2",
                "SWITCHBOARD_TOPICS_PARTITIONS",
                "5",
                "REDIS_URL",
                "redis://127.0.0.1:6379",
                "SCHEMA_REGISTRY_URL",
                "http://127.0.0.1:1/registry",
                "SWITCHBOARD_KAFKA_SESSION_TIMEOUT",
                "12s",
                "SWITCHBOARD_INSTANCE_ID",
                instanceId));
        try (ConfigurableApplicationContext router = RouterApplication.builder()
                        .environment(environment)
                        .run(
                                "--spring.kafka.bootstrap-servers=" + kafka,
                                "--switchboard.router.input-topic=in-" + suffix,
                                "--switchboard.router.output-topic=out-" + suffix,
                                "--switchboard.router.dead-letter-topic=dlq-" + suffix);
                Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka))) {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> health = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.2:" + port + "/actuator/health"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThatThrownBy(() -> http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString()))
                    .as("bound to 127.0.0.2 only")
                    .isInstanceOf(java.net.ConnectException.class);
            assertThat(admin.describeTopics(List.of("out-" + suffix, "dlq-" + suffix))
                            .allTopicNames()
                            .get()
                            .values())
                    .allSatisfy(topic -> assertThat(topic.partitions()).hasSize(5));

            assertThat(router.getBean(ProgressStore.class))
                    .as("REDIS_URL puts the progress guard in Redis")
                    .isInstanceOf(RedisProgressStore.class);
            assertThat(router.getBean(KafkaProperties.class).getProperties())
                    .containsEntry("schema.registry.url", "http://127.0.0.1:1/registry");
            assertThat(router.getBean(ConsumerFactory.class).getConfigurationProperties())
                    .containsEntry("session.timeout.ms", 12_000)
                    .containsEntry("group.instance.id", instanceId);
            // the group operators reset offsets by is the documented one, and this instance is its static member
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(admin.describeConsumerGroups(List.of("switchboard-router"))
                                    .all()
                                    .get()
                                    .get("switchboard-router")
                                    .members())
                            .anySatisfy(member ->
                                    assertThat(member.groupInstanceId()).contains(instanceId + "-0")));
        }
    }

    @Test
    void aBadSettingStopsStartUpWithAMessageNamingIt() {
        assertThatThrownBy(() -> RouterApplication.builder()
                        .run(
                                "--spring.kafka.bootstrap-servers=" + kafka,
                                "--server.port=0",
                                "--PUSHER_MAX_PAYLOAD_BYTES=167"))
                .rootCause()
                .hasMessageContaining("PUSHER_MAX_PAYLOAD_BYTES")
                .hasMessageContaining("at least 168")
                .hasMessageContaining("private-encrypted-");
        assertThatThrownBy(() -> RouterApplication.builder()
                        .run(
                                "--spring.kafka.bootstrap-servers=" + kafka,
                                "--server.port=0",
                                "--switchboard.router.send-timeout=-1s"))
                .rootCause()
                .hasMessageContaining("switchboard.router.send-timeout");
    }
}
