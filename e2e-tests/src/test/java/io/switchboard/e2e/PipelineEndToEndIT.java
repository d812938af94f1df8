package io.switchboard.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.gateway.GatewayApplication;
import io.switchboard.publisher.PublisherApplication;
import io.switchboard.relay.OutboxRelayApplication;
import io.switchboard.router.RouterApplication;
import io.switchboard.testkit.KafkaTestBroker;
import io.switchboard.testkit.KafkaTestClient;
import io.switchboard.testkit.PusherJsSubscriber;
import io.switchboard.testkit.Soketi;
import io.switchboard.testkit.TestDatabase;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The walking skeleton, through real parts only: a row in a real Postgres outbox, outbox-relay, a real Kafka
 * broker, router-service, publisher-service, Soketi (a real Pusher-protocol server) and a real pusher-js client
 * that subscribes to private channels through gateway-service's auth endpoint (names-only mode, as in dev).
 */
class PipelineEndToEndIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static TestDatabase db;
    private static String kafka;
    private static final List<ConfigurableApplicationContext> services = new ArrayList<>();
    private static List<String> common;
    private static ConfigurableApplicationContext publisher;
    private static String authEndpoint;

    @BeforeAll
    static void startPipeline() {
        Soketi.ensureRunning();
        kafka = KafkaTestBroker.bootstrapServers();
        db = TestDatabase.postgres();
        // command-line arguments: they override the services' own yml, as they would in production
        common = List.of(
                "--spring.kafka.bootstrap-servers=" + kafka,
                "--server.port=0",
                "--spring.kafka.consumer.auto-offset-reset=earliest");
        services.add(OutboxRelayApplication.builder()
                .run(args(
                        common, "--spring.datasource.url=" + db.jdbcUrl(), "--switchboard.outbox.poll-interval=20ms")));
        services.add(RouterApplication.builder().run(args(common)));
        startPublisher();
        // the browser-facing edge: no Kafka, so none of the common Kafka settings
        ConfigurableApplicationContext gateway = GatewayApplication.builder()
                .run(args(
                        List.of("--server.port=0", "--management.server.port=0"),
                        Soketi.publisherArgs().toArray(String[]::new)));
        services.add(gateway);
        authEndpoint = "http://127.0.0.1:" + gateway.getEnvironment().getProperty("local.server.port")
                + "/api/realtime/pusher/auth";
    }

    private static void startPublisher() {
        publisher = PublisherApplication.builder()
                .run(args(common, Soketi.publisherArgs().toArray(String[]::new)));
        services.add(publisher);
    }

    private static String[] args(List<String> common, String... more) {
        List<String> all = new ArrayList<>(common);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    @AfterAll
    static void stopPipeline() {
        for (int i = services.size() - 1; i >= 0; i--) {
            services.get(i).close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void anAuditStepCompletedOutboxRowReachesBothPrivateChannelsOfAPusherJsClient() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String auditId = "audit-" + run + "-1-1765755984607";
        String ficheId = "fiche" + run;
        List<String> channels = List.of("private-audit-" + auditId, "private-fiche-" + ficheId);
        // seed 002, audit.step_completed (normal step)
        String payload = """
                {"audit_id":"%s","fiche_id":"%s","step_position":3,"step_name":"Disclosure",\
                "score":8,"max_score":10,"conforme":true,"total_citations":4,"tokens_used":1234,"status":"completed"}""".formatted(auditId, ficheId);

        try (PusherJsSubscriber browser = PusherJsSubscriber.start(authEndpoint, channels)) {
            browser.awaitSubscribed(channels, Duration.ofSeconds(20));

            insertOutboxRow("audit.step_completed", auditId, payload);

            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(20))
                    .untilAsserted(() -> assertThat(browser.events())
                            .extracting(PusherJsSubscriber.Message::channel)
                            .containsExactlyInAnyOrderElementsOf(channels));
            JsonNode expected = JSON.readTree(payload);
            for (String channel : channels) {
                PusherJsSubscriber.Message received = browser.events(channel).get(0);
                assertThat(received.event()).isEqualTo("audit.step_completed");
                assertThat(received.data()).as("payload on %s", channel).isEqualTo(expected);
            }
        }

        // the bytes on realtime.events: Confluent framing, readable with nothing but the published schema
        ConsumerRecord<String, byte[]> raw;
        try (KafkaTestClient topic = KafkaTestClient.subscribe(kafka, "realtime.events")) {
            raw = topic.withKey(auditId, 1, Duration.ofSeconds(20)).get(0);
        }
        byte[] bytes = raw.value();
        assertThat(bytes[0]).isEqualTo((byte) 0);
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(1);
        Schema schema;
        try (InputStream in = getClass().getResourceAsStream("/io/switchboard/schemas/current/RealtimeEvent.avsc")) {
            schema = new Schema.Parser().parse(in);
        }
        GenericRecord decoded = new GenericDatumReader<GenericRecord>(schema)
                .read(null, DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, null));
        assertThat(decoded.get("type").toString()).isEqualTo("audit.step_completed");
        assertThat(decoded.get("aggregate_id").toString()).isEqualTo(auditId);
        assertThat(JSON.readTree(decoded.get("payload").toString())).isEqualTo(JSON.readTree(payload));
    }

    /**
     * Issue 14, finding 7: with the auth endpoint inside publisher-service, every subscription of a page failed while
     * the publisher restarted. The gateway answers browsers on its own: a page subscribes while publisher-service is
     * stopped, and receives the event written meanwhile once the publisher is back.
     */
    @Test
    void browsersCanSubscribeWhileThePublisherIsDown() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String auditId = "audit-" + run + "-down";
        List<String> channels = List.of("private-audit-" + auditId);
        String payload = "{\"audit_id\":\"%s\",\"step_position\":1,\"status\":\"completed\"}".formatted(auditId);

        services.remove(publisher);
        publisher.close();
        try (PusherJsSubscriber browser = PusherJsSubscriber.start(authEndpoint, channels)) {
            browser.awaitSubscribed(channels, Duration.ofSeconds(20));
            insertOutboxRow("audit.step_completed", auditId, payload);

            startPublisher();
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> !browser.events(channels.get(0)).isEmpty());
            assertThat(browser.events(channels.get(0)).get(0).data()).isEqualTo(JSON.readTree(payload));
        } finally {
            if (!publisher.isActive()) {
                startPublisher();
            }
        }
    }

    /** What a domain service does, in plain SQL, in its own transaction. */
    private static void insertOutboxRow(String type, String aggregateId, String payload) throws Exception {
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO switchboard_outbox (type, source, aggregate_type, aggregate_id, payload)"
                            + " VALUES (?, 'audit-service', 'audit', ?, CAST(? AS jsonb))")) {
                insert.setString(1, type);
                insert.setString(2, aggregateId);
                insert.setString(3, payload);
                insert.executeUpdate();
            }
            c.commit();
        }
    }
}
