package io.switchboard.publisher.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.pusher.rest.PusherAsync;
import io.switchboard.publisher.PublisherApplication;
import io.switchboard.publisher.publish.RetryAfterGate;
import io.switchboard.testkit.KafkaTestBroker;
import io.switchboard.testkit.PusherStandIn;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * The README's publisher settings, each shown to change what the running service does: the consumer group and
 * its members as the broker sees them, where the HTTP server listens, how many threads carry requests to Pusher.
 * Set as the environment variables the README names.
 */
class PublisherSettingsIT {

    private final String kafka = KafkaTestBroker.bootstrapServers();

    /**
     * Regression (issue 13, item 15): the consumer group was {@code publisher} (the @KafkaListener id) while
     * publisher-service.yml says {@code switchboard-publisher}. Also SWITCHBOARD_PUBLISH_CONCURRENCY (consumers per
     * instance), PUBLISHER_PORT and SWITCHBOARD_BIND_ADDRESS.
     */
    @Test
    void theBrokerSeesTheDocumentedGroupWithOneMemberPerConsumerAndHttpListensWhereItIsTold() throws Exception {
        String topic = "publish-settings-" + UUID.randomUUID();
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
            List<String> args = new ArrayList<>(List.of(
                    "--spring.kafka.bootstrap-servers=" + kafka,
                    "--switchboard.publisher.input-topic=" + topic,
                    "--switchboard.pusher.dry-run=1",
                    "--SWITCHBOARD_PUBLISH_CONCURRENCY=2",
                    "--PUBLISHER_PORT=" + port,
                    "--SWITCHBOARD_BIND_ADDRESS=127.0.0.2"));
            try (ConfigurableApplicationContext publisher =
                    PublisherApplication.builder().run(args.toArray(String[]::new))) {
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    ConsumerGroupDescription group = admin.describeConsumerGroups(List.of("switchboard-publisher"))
                            .all()
                            .get()
                            .get("switchboard-publisher");
                    List<MemberDescription> mine = group.members().stream()
                            .filter(m -> m.assignment().topicPartitions().stream()
                                    .anyMatch(p -> p.topic().equals(topic)))
                            .toList();
                    assertThat(mine)
                            .as("consumers of the group reading " + topic)
                            .hasSize(2);
                });

                HttpClient http = HttpClient.newHttpClient();
                HttpResponse<String> health = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.2:" + port + "/actuator/health"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).isEqualTo(200);
                int bound = port;
                assertThatThrownBy(() -> http.send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bound + "/actuator/health"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString()))
                        .as("nothing listens on the other loopback address")
                        .isInstanceOf(ConnectException.class);
            }
        }
    }

    @EnableConfigurationProperties({PusherProperties.class, PublisherProperties.class})
    static class Pusher {
        @Bean
        RetryAfterGate retryAfterGate() {
            return new RetryAfterGate(Clock.systemUTC(), Duration.ofSeconds(60));
        }
    }

    /** SWITCHBOARD_PUBLISH_IO_THREADS: how many threads of the HTTP client carry the requests to Pusher. */
    @Test
    void ioThreadsSetsHowManyThreadsCarryTheRequestsToPusher() throws Exception {
        assertThat(threadsCarrying(1)).isEqualTo(1);
        assertThat(threadsCarrying(3)).isEqualTo(3);
    }

    /**
     * Sends 12 requests at once (one connection each: the stand-in holds every answer for 300 ms) and counts the
     * threads their answers arrive on.
     */
    private int threadsCarrying(int ioThreads) throws Exception {
        try (PusherStandIn standIn = new PusherStandIn("app-1", "key-1", "secret-of-the-stand-in-0123456789")) {
            standIn.latency(Duration.ofMillis(300));
            Set<String> carriers = ConcurrentHashMap.newKeySet();
            new ApplicationContextRunner()
                    .withInitializer(new ConfigDataApplicationContextInitializer())
                    .withUserConfiguration(Pusher.class, PusherConfig.class)
                    .withPropertyValues(
                            "spring.config.name=publisher-service", "SWITCHBOARD_PUBLISH_IO_THREADS=" + ioThreads)
                    .withPropertyValues(standIn.publisherArgs().stream()
                            .map(a -> a.substring(2))
                            .toArray(String[]::new))
                    .run(c -> {
                        PusherAsync pusher = c.getBean(PusherAsync.class);
                        List<CompletableFuture<?>> calls = IntStream.range(0, 12)
                                .mapToObj(i -> pusher.trigger("private-c" + i, "x.y", "{}")
                                        .thenRun(() -> carriers.add(
                                                Thread.currentThread().getName())))
                                .collect(Collectors.toList());
                        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
                                .get();
                        assertThat(standIn.delivered()).hasSize(12);
                    });
            assertThat(carriers).allMatch(name -> name.startsWith("AsyncHttpClient-"));
            return carriers.size();
        }
    }
}
