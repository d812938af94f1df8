package io.switchboard.publisher.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.switchboard.publisher.PublisherApplication;
import io.switchboard.schemas.ChannelPublish;
import io.switchboard.schemas.wire.WireFormat;
import io.switchboard.testkit.KafkaTestBroker;
import io.switchboard.testkit.KafkaTestClient;
import io.switchboard.testkit.PusherStandIn;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.json.JsonMapper;

/**
 * The publisher reading records framed with a schema id it must fetch from a Confluent-compatible registry
 * ({@code SCHEMA_REGISTRY_URL}), while that registry fails for a while and then recovers.
 */
class PublisherRegistryBlipIT {

    private static final int SCHEMA_ID = 4242;

    private final String id = UUID.randomUUID().toString();
    private final String topic = "publish-registry-" + id;
    private final String deadLetterTopic = topic + ".dlq";
    private final AtomicInteger schemaRequests = new AtomicInteger();
    private HttpServer registry;
    private PusherStandIn pusher;
    private ConfigurableApplicationContext publisher;

    @AfterEach
    void stop() {
        if (publisher != null) {
            publisher.close();
        }
        if (pusher != null) {
            pusher.close();
        }
        if (registry != null) {
            registry.stop(0);
        }
    }

    /** A registry that answers 503 to the first {@code failures} look-ups, then serves ChannelPublish's schema. */
    private String registry(int failures) throws Exception {
        registry = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        String schema = JsonMapper.builder()
                .build()
                .createObjectNode()
                .put("schema", ChannelPublish.getClassSchema().toString())
                .toString();
        registry.createContext("/schemas/ids/" + SCHEMA_ID, exchange -> {
            try (exchange) {
                boolean fail = schemaRequests.incrementAndGet() <= failures;
                byte[] body = (fail ? "{\"error_code\":50301,\"message\":\"restarting\"}" : schema)
                        .getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(fail ? 503 : 200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        registry.start();
        return "http://127.0.0.1:" + registry.getAddress().getPort();
    }

    /**
     * Regression (issue 13, item 4): "a schema registry blip dead-letters good data". A record whose schema id was
     * not cached yet was dead-lettered as NOT_DESERIALIZABLE when the registry could not be reached; now it waits
     * for the registry and is delivered.
     */
    @Test
    void aRecordReadWhileTheRegistryIsDownIsDeliveredOnceItIsBackNotDeadLettered() throws Exception {
        String registryUrl = registry(3);
        pusher = new PusherStandIn("app-1", "key-1", "secret-of-the-stand-in-0123456789");
        List<String> args = new ArrayList<>(List.of(
                "--spring.kafka.bootstrap-servers=" + KafkaTestBroker.bootstrapServers(),
                "--server.port=0",
                "--switchboard.publisher.input-topic=" + topic,
                "--switchboard.publisher.dead-letter-topic=" + deadLetterTopic,
                "--SCHEMA_REGISTRY_URL=" + registryUrl));
        args.addAll(pusher.publisherArgs());
        publisher = PublisherApplication.builder().run(args.toArray(String[]::new));

        String key = "k-" + id;
        ChannelPublish good = Publishes.of("ev-" + id, "x.y", "private-" + id, "{\"ok\":true}");
        try (KafkaProducer<String, byte[]> producer = KafkaTestClient.rawProducer(KafkaTestBroker.bootstrapServers())) {
            producer.send(new ProducerRecord<>(topic, key, WireFormat.encode(SCHEMA_ID, good)))
                    .get();
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> !pusher.delivered().isEmpty());
        assertThat(pusher.delivered())
                .singleElement()
                .satisfies(d -> assertThat(d.channel()).isEqualTo("private-" + id));
        assertThat(schemaRequests).as("look-ups, the failed ones included").hasValueGreaterThan(3);
        double deadLettered = publisher
                .getBean(io.micrometer.core.instrument.MeterRegistry.class)
                .find("switchboard.publisher.dead_lettered")
                .counters()
                .stream()
                .mapToDouble(io.micrometer.core.instrument.Counter::count)
                .sum();
        assertThat(deadLettered).isZero();
    }
}
