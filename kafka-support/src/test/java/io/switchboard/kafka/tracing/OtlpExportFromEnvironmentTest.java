package io.switchboard.kafka.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.tracing.Span;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Issue 15: "OTLP exporter off by default, on with the standard OTEL_EXPORTER_OTLP_ENDPOINT". The services' tracing
 * as Boot wires it (the OpenTelemetry SDK, Micrometer Tracing on its bridge, Boot's own OTLP configuration and
 * {@link TracingAutoConfiguration}), with the process environment replaced by the variables each test gives, read
 * through the same property source Spring Boot makes of the real environment. A JDK HTTP server on a loopback port
 * stands in for the collector (OTLP/HTTP: {@code POST /v1/traces}, protobuf): one span of an event, and its bytes
 * must arrive there; without the variable, no OTLP exporter exists.
 */
@ExtendWith(OutputCaptureExtension.class)
class OtlpExportFromEnvironmentTest {

    private final String traceId = UUID.randomUUID().toString().replace("-", "");
    private final String eventId = "otlp-" + UUID.randomUUID();
    private final Collector collector = new Collector();
    private final Collector other = new Collector();

    @BeforeEach
    void start() throws IOException {
        collector.start();
        other.start();
    }

    @AfterEach
    void stop() {
        collector.stop();
        other.stop();
    }

    /** Boot's tracing auto-configuration and ours, with {@code env} as the whole process environment. */
    private static ApplicationContextRunner services(Map<String, Object> env) {
        return new ApplicationContextRunner()
                .withInitializer(context -> context.getEnvironment()
                        .getPropertySources()
                        .replace(
                                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                                new SystemEnvironmentPropertySource(
                                        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, env)))
                .withConfiguration(AutoConfigurations.of(
                        org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration.class,
                        org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration
                                .class,
                        org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure
                                .OpenTelemetryTracingAutoConfiguration.class,
                        org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.otlp
                                .OtlpTracingAutoConfiguration.class,
                        TracingAutoConfiguration.class));
    }

    /** One event's span, as a stage makes it: the child of a sampled traceparent, named and tagged, then ended. */
    private void traceOneEvent(EventTracing tracing) {
        Span span = tracing.start(
                "publish", Map.of(EventTracing.TRACEPARENT, "00-" + traceId + "-00f067aa0ba902b7-01"), eventId);
        span.end();
    }

    @Test
    void theStandardVariableTurnsTheExporterOnAndTheEventsSpanReachesTheCollector(CapturedOutput output) {
        String endpoint = "http://127.0.0.1:" + collector.port();
        services(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint)).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBeansOfType(SpanExporter.class).values())
                    .hasAtLeastOneElementOfType(OtlpHttpSpanExporter.class);
            traceOneEvent(context.getBean(EventTracing.class));
            // Boot's batch span processor exports every 5 s by default: no flush forced here
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> !collector.received().isEmpty());
        });
        Received export = collector.received().get(0);
        assertThat(export.method()).isEqualTo("POST");
        assertThat(export.path())
                .as("OTLP/HTTP's path, appended as the specification says")
                .isEqualTo("/v1/traces");
        assertThat(export.contentType()).isEqualTo("application/x-protobuf");
        assertThat(export.body())
                .as("the span's trace id (16 bytes), its name and its event id are in the protobuf")
                .containsSequence(HexFormat.of().parseHex(traceId))
                .containsSequence("publish".getBytes(StandardCharsets.UTF_8))
                .containsSequence(eventId.getBytes(StandardCharsets.UTF_8));
        assertThat(output.getAll())
                .contains("exporting trace spans over OTLP/HTTP to " + endpoint)
                .doesNotContain(endpoint + "/v1/traces");
    }

    @Test
    void withoutTheVariableThereIsNoOtlpExporterAndNothingLeaves(CapturedOutput output) {
        services(Map.of()).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBeansOfType(SpanExporter.class).values())
                    .noneMatch(e -> e instanceof OtlpHttpSpanExporter || e instanceof OtlpGrpcSpanExporter);
            traceOneEvent(context.getBean(EventTracing.class));
        }); // closing the context flushes the span processor: whatever would be exported is exported by now
        assertThat(collector.received()).isEmpty();
        assertThat(output.getAll()).doesNotContain("exporting trace spans");
    }

    /**
     * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is used as it is (no path appended) and wins over
     * OTEL_EXPORTER_OTLP_ENDPOINT; the headers of OTEL_EXPORTER_OTLP_HEADERS go with every export (URL-decoded), and
     * the log line names the endpoint without its path.
     */
    @Test
    void theTracesEndpointWinsAndTheHeadersGoAlong(CapturedOutput output) {
        String tracesEndpoint = "http://127.0.0.1:" + collector.port() + "/collector/traces";
        services(Map.of(
                        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
                        tracesEndpoint,
                        "OTEL_EXPORTER_OTLP_ENDPOINT",
                        "http://127.0.0.1:" + other.port(),
                        "OTEL_EXPORTER_OTLP_HEADERS",
                        "authorization=Bearer%20token-of-the-test, x-tenant = t1"))
                .withPropertyValues("management.opentelemetry.tracing.export.schedule-delay=100ms")
                .run(context -> {
                    traceOneEvent(context.getBean(EventTracing.class));
                    await().atMost(Duration.ofSeconds(10))
                            .until(() -> !collector.received().isEmpty());
                });
        Received export = collector.received().get(0);
        assertThat(export.path()).isEqualTo("/collector/traces");
        assertThat(export.headers())
                .containsEntry("authorization", "Bearer token-of-the-test")
                .containsEntry("x-tenant", "t1");
        assertThat(export.body()).containsSequence(HexFormat.of().parseHex(traceId));
        assertThat(other.received())
                .as("OTEL_EXPORTER_OTLP_ENDPOINT, overridden")
                .isEmpty();
        assertThat(output.getAll())
                .contains("exporting trace spans over OTLP/HTTP to http://127.0.0.1:" + collector.port())
                .doesNotContain("/collector/traces")
                .doesNotContain("token-of-the-test");
    }

    /** A trailing slash on the base endpoint does not double the path's slash. */
    @Test
    void aBaseEndpointWithAPathAndATrailingSlashGetsV1TracesAppended() {
        services(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + collector.port() + "/otlp/"))
                .withPropertyValues("management.opentelemetry.tracing.export.schedule-delay=100ms")
                .run(context -> {
                    traceOneEvent(context.getBean(EventTracing.class));
                    await().atMost(Duration.ofSeconds(10))
                            .until(() -> !collector.received().isEmpty());
                });
        assertThat(collector.received().get(0).path()).isEqualTo("/otlp/v1/traces");
    }

    record Received(String method, String path, String contentType, Map<String, String> headers, byte[] body) {}

    /** An OTLP/HTTP receiver on a free loopback port: records every request (header names in lower case), answers 200. */
    private static final class Collector {
        private final List<Received> received = new CopyOnWriteArrayList<>();
        private HttpServer server;

        void start() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                Map<String, String> headers = new java.util.HashMap<>(); // names in lower case
                exchange.getRequestHeaders()
                        .forEach((name, values) -> headers.put(name.toLowerCase(java.util.Locale.ROOT), values.get(0)));
                received.add(new Received(
                        exchange.getRequestMethod(),
                        exchange.getRequestURI().getPath(),
                        exchange.getRequestHeaders().getFirst("Content-Type"),
                        headers,
                        body));
                exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
            });
            server.start();
        }

        int port() {
            return server.getAddress().getPort();
        }

        List<Received> received() {
            return received;
        }

        void stop() {
            server.stop(0);
        }
    }
}
