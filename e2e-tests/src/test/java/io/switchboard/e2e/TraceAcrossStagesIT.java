package io.switchboard.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.switchboard.publisher.PublisherApplication;
import io.switchboard.relay.OutboxRelayApplication;
import io.switchboard.router.RouterApplication;
import io.switchboard.testkit.KafkaTestBroker;
import io.switchboard.testkit.PusherStandIn;
import io.switchboard.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Issue 15, tracing: one outbox row that carries a W3C traceparent yields one connected trace across the relay,
 * the router and the publisher (each its own Spring context, as in production each its own process), every span
 * exported to an in-memory exporter in place of OTLP.
 */
class TraceAcrossStagesIT {

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final List<ConfigurableApplicationContext> services = new ArrayList<>();
    private TestDatabase db;
    private PusherStandIn pusher;

    @AfterEach
    void stop() {
        services.forEach(ConfigurableApplicationContext::close);
        if (db != null) {
            db.close();
        }
        if (pusher != null) {
            pusher.close();
        }
    }

    private ConfigurableApplicationContext start(SpringApplicationBuilder builder, List<String> args) {
        ConfigurableApplicationContext context = builder.initializers(
                        c -> c.getBeanFactory().registerSingleton("testSpanExporter", spans))
                .run(args.toArray(String[]::new));
        services.add(context);
        return context;
    }

    @Test
    void oneEventIsOneConnectedTraceFromTheWritersRequestToPushersAcceptance() throws Exception {
        String kafka = KafkaTestBroker.bootstrapServers();
        db = TestDatabase.postgres();
        pusher = new PusherStandIn("app-1", "key-1", "secret-of-the-stand-in-0123456789");
        String run = UUID.randomUUID().toString().substring(0, 8);
        String events = "traced-" + run;
        List<String> common = List.of(
                "--spring.kafka.bootstrap-servers=" + kafka,
                "--server.port=0",
                "--spring.kafka.consumer.auto-offset-reset=earliest",
                "--management.tracing.sampling.probability=1.0");
        List<String> relayArgs = new ArrayList<>(common);
        relayArgs.addAll(List.of(
                "--spring.datasource.url=" + db.jdbcUrl(),
                "--switchboard.outbox.topic=" + events,
                "--switchboard.outbox.poll-interval=20ms"));
        start(OutboxRelayApplication.builder(), relayArgs);
        List<String> routerArgs = new ArrayList<>(common);
        routerArgs.addAll(List.of(
                "--switchboard.router.input-topic=" + events,
                "--switchboard.router.output-topic=" + events + ".publish",
                "--switchboard.router.dead-letter-topic=" + events + ".dlq"));
        start(RouterApplication.builder(), routerArgs);
        List<String> publisherArgs = new ArrayList<>(common);
        publisherArgs.addAll(List.of(
                "--switchboard.publisher.input-topic=" + events + ".publish",
                "--switchboard.publisher.dead-letter-topic=" + events + ".publish.dlq"));
        publisherArgs.addAll(pusher.publisherArgs());
        start(PublisherApplication.builder(), publisherArgs);

        // the domain service's request: its trace and span, as its own tracer would write them into the row
        String traceId = UUID.randomUUID().toString().replace("-", "");
        String writerSpan = traceId.substring(0, 16);
        try (Connection c = db.connect();
                PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO switchboard_outbox (type, source,"
                                + " aggregate_type, aggregate_id, payload, traceparent) VALUES (?, ?, ?, ?, CAST(? AS jsonb), ?)")) {
            insert.setString(1, "audit.step_completed");
            insert.setString(2, "audit-service");
            insert.setString(3, "audit");
            insert.setString(4, "audit-1787121-1");
            insert.setString(5, "{\"audit_id\":\"audit-1787121-1\",\"fiche_id\":\"1787121\",\"step_position\":3}");
            insert.setString(6, "00-" + traceId + "-" + writerSpan + "-01");
            insert.executeUpdate();
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> pusher.delivered().size() == 2); // audit and fiche channels

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(spansOf(traceId))
                        .extracting(SpanData::getName)
                        .contains("outbox relay", "route", "publish"));
        Map<String, SpanData> byName = spansOf(traceId).stream()
                .collect(Collectors.toMap(SpanData::getName, Function.identity(), (a, b) -> a));
        SpanData relay = byName.get("outbox relay");
        SpanData route = byName.get("route");
        SpanData publish = byName.get("publish");
        assertThat(relay.getParentSpanId())
                .as("the relay continues the writer's span")
                .isEqualTo(writerSpan);
        assertThat(route.getParentSpanId())
                .as("the router continues the relay's span")
                .isEqualTo(relay.getSpanId());
        assertThat(publish.getParentSpanId())
                .as("the publisher continues the router's span")
                .isEqualTo(route.getSpanId());
        String eventId = relay.getAttributes().asMap().entrySet().stream()
                .filter(e -> e.getKey().getKey().equals("switchboard.event_id"))
                .map(e -> e.getValue().toString())
                .findFirst()
                .orElseThrow();
        for (SpanData span : List.of(route, publish)) {
            assertThat(span.getAttributes().asMap().entrySet().stream()
                            .filter(e -> e.getKey().getKey().equals("switchboard.event_id"))
                            .map(e -> e.getValue().toString()))
                    .as("%s names the event", span.getName())
                    .containsExactly(eventId);
        }
        assertThat(route.getAttributes().asMap().toString()).contains("routed");
        assertThat(publish.getAttributes().asMap().toString()).contains("delivered");
    }

    private List<SpanData> spansOf(String traceId) {
        return spans.getFinishedSpanItems().stream()
                .filter(s -> s.getTraceId().equals(traceId))
                .toList();
    }
}
