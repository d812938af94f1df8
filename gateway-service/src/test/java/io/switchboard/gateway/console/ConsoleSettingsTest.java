package io.switchboard.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.switchboard.gateway.config.ConsoleConfig;
import io.switchboard.gateway.config.ConsoleProperties;
import io.switchboard.gateway.config.PusherProperties;
import io.switchboard.kafka.trace.RecordValues;
import io.switchboard.schemas.DeliveryReceipt;
import io.switchboard.schemas.wire.SchemaRegistry;
import io.switchboard.schemas.wire.WireFormat;
import io.switchboard.testkit.SchemaRegistryStandIn;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/**
 * Review of issue 16: the console's settings that no test showed to change anything. The console's own beans
 * (ConsoleConfig), built by Spring from gateway-service.yml and the environment variables it reads; Kafka and the
 * stages' metrics pointed at a port where nothing listens unless a test serves them.
 */
class ConsoleSettingsTest {

    private final List<Long> relayScrapes = new CopyOnWriteArrayList<>();
    private HttpServer stages;
    private ApplicationContextRunner context;

    @BeforeEach
    void setUp() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort(); // nothing listens there once the socket is closed
        }
        stages = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        stages.createContext("/relay", exchange -> {
            relayScrapes.add(System.nanoTime());
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        stages.start();
        String serve = "http://127.0.0.1:" + stages.getAddress().getPort();
        context = new ApplicationContextRunner()
                .withInitializer(new ConfigDataApplicationContextInitializer())
                .withPropertyValues(
                        "spring.config.name=gateway-service",
                        "SWITCHBOARD_CONSOLE_ENABLED=true",
                        "KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:" + closed,
                        "SWITCHBOARD_CONSOLE_RELAY_METRICS=" + serve + "/relay",
                        "SWITCHBOARD_CONSOLE_ROUTER_METRICS=http://127.0.0.1:" + closed + "/router",
                        "SWITCHBOARD_CONSOLE_PUBLISHER_METRICS=http://127.0.0.1:" + closed + "/publisher")
                .withUserConfiguration(Properties.class, ConsoleConfig.class)
                .withBean(Clock.class, Clock::systemUTC);
    }

    @AfterEach
    void tearDown() {
        stages.stop(0);
    }

    @Test
    void theTopicsAndSwitchboardLedgerTopicNameWhatTheFeedShows() {
        context.withPropertyValues(
                        "switchboard.console.topics.events=audit.events",
                        "switchboard.console.topics.publish=audit.publish",
                        "SWITCHBOARD_LEDGER_TOPIC=audit.ledger")
                .run(c -> {
                    ConsoleFeed feed = c.getBean(ConsoleFeed.class);
                    ConsoleState state = c.getBean(ConsoleState.class);

                    feed.accept(Records.ledger("realtime.ledger", 0, Records.published("e-default", 90)));
                    feed.accept(Records.ledger("audit.ledger", 0, Records.published("e1", 90, "private-audit-1")));
                    feed.accept(Records.onPublish(
                            "audit.publish", 0, Records.publish("e1", "{\"audit_id\":\"1\"}", false, 16)));
                    feed.accept(Records.routerDeadLetter(
                            "audit.events.dlq",
                            0,
                            Records.event("e2", "audit.step_completed", "{}"),
                            "UNSAFE_PLACEHOLDER",
                            "field 'audit_id' is missing"));

                    ConsoleState.Feed rows = state.after(0);
                    assertThat(rows.events()).singleElement().satisfies(e -> {
                        assertThat(e.eventId()).isEqualTo("e1");
                        assertThat(e.bytes()).as("joined with audit.publish").isEqualTo(16);
                    });
                    assertThat(rows.notPublished())
                            .extracting(NotPublished::eventId)
                            .containsExactly("e2");
                });
    }

    @Test
    void theSchemaRegistryUrlIsWhereTheConsoleLooksUpSchemaIds() throws Exception {
        try (SchemaRegistryStandIn registry = SchemaRegistryStandIn.start()) {
            int id = SchemaRegistry.forUrl(registry.url())
                    .idFor("realtime.ledger-value", DeliveryReceipt.getClassSchema());
            ConsumerRecord<byte[], byte[]> receipt = Records.record(
                    "realtime.ledger",
                    0,
                    "e1",
                    WireFormat.encode(id, Records.published("e1", 90, "private-org.1")),
                    new RecordHeaders());

            context.withPropertyValues("SCHEMA_REGISTRY_URL=" + registry.url())
                    .run(c -> assertThat(c.getBean(RecordValues.class).receipt(receipt))
                            .extracting(DeliveryReceipt::getEventId)
                            .isEqualTo("e1"));
            context.run(c -> assertThat(c.getBean(RecordValues.class).receipt(receipt))
                    .as("unset: only the ids pinned in the build, and " + id + " is not one")
                    .isNull());
        }
    }

    @Test
    void theMetricsIntervalIsHowOftenEachStageIsRead() {
        context.withPropertyValues("SWITCHBOARD_CONSOLE_METRICS_INTERVAL=1s").run(c -> {
            assertThat(c.getBean(MetricsScraper.class).interval()).isEqualTo(Duration.ofSeconds(1));
            // three reads within 5 s: the default (5 s) would take 10
            await().atMost(Duration.ofSeconds(5)).until(() -> relayScrapes.size() >= 3);
            List<Long> gaps = new ArrayList<>();
            for (int i = 1; i < 3; i++) {
                gaps.add(relayScrapes.get(i) - relayScrapes.get(i - 1));
            }
            assertThat(gaps)
                    .allSatisfy(gap ->
                            assertThat(gap).isGreaterThan(Duration.ofMillis(900).toNanos()));
        });
        context.run(c -> assertThat(c.getBean(MetricsScraper.class).interval()).isEqualTo(Duration.ofSeconds(5)));
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({ConsoleProperties.class, PusherProperties.class})
    static class Properties {}
}
