package io.switchboard.publisher.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.publisher.PublisherApplication;
import io.switchboard.schemas.ChannelPublish;
import io.switchboard.testkit.KafkaTestBroker;
import io.switchboard.testkit.PusherStandIn;
import io.switchboard.testkit.PusherStandIn.Fault;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * publisher-service against a faithful Pusher stand-in (PusherStandIn: checks signatures and limits) that answers
 * 429 and 5xx on demand, which Soketi cannot be made to do.
 */
class PublisherFaultsIT {

    private final String topic = "publish-faults-" + UUID.randomUUID();
    private PusherStandIn pusher;
    private ConfigurableApplicationContext publisher;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void standIn() throws Exception {
        pusher = new PusherStandIn("app-1", "key-1", "secret-of-the-stand-in-0123456789");
    }

    private void start(String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--spring.kafka.bootstrap-servers=" + KafkaTestBroker.bootstrapServers(),
                "--switchboard.publisher.input-topic=" + topic,
                "--server.port=0",
                "--switchboard.publisher.circuit-breaker.open-wait=2s"));
        args.addAll(pusher.publisherArgs());
        args.addAll(List.of(extra));
        publisher = PublisherApplication.builder().run(args.toArray(String[]::new));
    }

    @AfterEach
    void stop() {
        if (publisher != null) {
            publisher.close();
        }
        pusher.close();
    }

    @Test
    void injected429And5xxAreRetriedHonouringRetryAfterAndEverythingArrivesOnceInOrder() throws Exception {
        // one consumer: its requests go one after another until the 429 is answered, so the gap after it measures
        // the Retry-After gate alone (with the default three, two first requests leave together)
        start("--spring.kafka.listener.concurrency=1");
        pusher.failNext(
                new Fault(429, "{\"error\":\"rate limited\"}", "1"),
                new Fault(503, "unavailable", null),
                new Fault(502, "bad gateway", null));

        List<String> keys = send(5, 10);

        await().atMost(Duration.ofSeconds(30)).until(() -> pusher.delivered().size() >= 50);
        assertOncePerKeyInOrder(keys, 10);
        // Retry-After: 1 was honoured: nothing was sent in the second after the 429
        List<Long> times = pusher.requestTimes();
        assertThat(Duration.ofNanos(times.get(1) - times.get(0))).isGreaterThanOrEqualTo(Duration.ofMillis(950));
        assertThat(meter("switchboard_publisher_retries_total")).isGreaterThanOrEqualTo(3);
    }

    @Test
    void anOutageOpensTheBreakerWhichPausesConsumptionThenResumesLosingNothing() throws Exception {
        start(); // the default three consumers: the breaker pauses and resumes all of them
        Fault down = new Fault(503, "unavailable", null);
        // 4 failures open the breaker; two half-open rounds of 3 trial calls fail too
        pusher.failNext(down, down, down, down, down, down, down, down, down, down);
        List<String> states = new CopyOnWriteArrayList<>();

        List<String> keys = send(4, 5);

        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .conditionEvaluationListener(c -> {
                    if (c.getRemainingTimeInMS() < 200) {
                        List<Long> t = pusher.requestTimes();
                        System.out.println("stand-in requests (ms from the first): "
                                + t.stream()
                                        .map(x -> (x - t.get(0)) / 1_000_000)
                                        .toList());
                    }
                })
                .until(() -> {
                    states.add(health());
                    return pusher.delivered().size() >= 20;
                });
        assertThat(states).anyMatch(s -> s.contains("\"circuitBreaker\":\"OPEN\""));
        assertOncePerKeyInOrder(keys, 5);
        assertThat(meter("switchboard_publisher_dead_lettered_total")).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> health().contains("\"circuitBreaker\":\"CLOSED\""));
    }

    @Test
    void theStandInRefusesABadSignature() throws Exception {
        HttpResponse<String> forged = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + pusher.port()
                                + "/apps/app-1/events?auth_key=key-1&auth_timestamp="
                                + Instant.now().getEpochSecond()
                                + "&auth_version=1.0&body_md5=x&auth_signature=00"))
                        .POST(HttpRequest.BodyPublishers.ofString("{}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).isEqualTo(401);
    }

    /** Sends perKey events for each of `keys` new keys, interleaved; returns the keys. */
    private List<String> send(int keys, int perKey) throws Exception {
        List<String> names = new ArrayList<>();
        for (int k = 0; k < keys; k++) {
            names.add("audit-" + UUID.randomUUID());
        }
        try (KafkaProducer<String, ChannelPublish> producer = Publishes.producer(KafkaTestBroker.bootstrapServers())) {
            for (int n = 0; n < perKey; n++) {
                for (String key : names) {
                    String data = "{\"audit_id\":\"" + key + "\",\"completed_steps\":" + n + "}";
                    producer.send(new ProducerRecord<>(
                            topic, key, Publishes.of(key + "#" + n, "audit.progress", "private-" + key, data)));
                }
            }
            producer.flush();
        }
        return names;
    }

    private void assertOncePerKeyInOrder(List<String> keys, int perKey) {
        Map<String, List<String>> perChannel = pusher.delivered().stream()
                .collect(Collectors.groupingBy(
                        PusherStandIn.Delivered::channel,
                        Collectors.mapping(
                                d -> d.data().replaceAll(".*\"completed_steps\":(\\d+).*", "$1"),
                                Collectors.toList())));
        for (String key : keys) {
            List<String> expected = new ArrayList<>();
            for (int n = 0; n < perKey; n++) {
                expected.add(Integer.toString(n));
            }
            assertThat(perChannel.get("private-" + key)).as(key).containsExactlyElementsOf(expected);
        }
    }

    private String health() throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create(base() + "/actuator/health"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private double meter(String name) throws Exception {
        return Publishes.meter(base(), name);
    }

    private String base() {
        return "http://127.0.0.1:" + publisher.getEnvironment().getProperty("local.server.port");
    }
}
