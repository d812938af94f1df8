package io.switchboard.schemas.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.switchboard.schemas.RealtimeEvent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The registry client against a stand-in of the Confluent Schema Registry REST API (no registry can run on our
 * machines: Confluent's is not served by our package registry). The stand-in is faithful in what the client uses:
 * registering returns the existing id for an identical schema under any subject, ids are global, unknown ids
 * answer 404 with error code 40403, and it demands the registry content type and HTTP Basic credentials.
 */
class RestSchemaRegistryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private HttpServer server;
    private final Map<String, Integer> idBySchema = new LinkedHashMap<>();
    private final List<String> requests = new ArrayList<>();
    private String url;
    private String password = "s3cret";

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
        url = "http://svc:s3cret@127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        requests.add(exchange.getRequestMethod() + " " + path);
        String expectedAuth =
                "Basic " + Base64.getEncoder().encodeToString(("svc:" + password).getBytes(StandardCharsets.UTF_8));
        if (!expectedAuth.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            reply(exchange, 401, "{\"error_code\":401,\"message\":\"Unauthorized\"}");
            return;
        }
        if (path.startsWith("/subjects/incompatible")) {
            reply(exchange, 409, "{\"error_code\":409,\"message\":\"Schema being registered is incompatible\"}");
            return;
        }
        if (exchange.getRequestMethod().equals("POST") && path.matches("/subjects/[^/]+/versions")) {
            if (!"application/vnd.schemaregistry.v1+json"
                    .equals(exchange.getRequestHeaders().getFirst("Content-Type"))) {
                reply(exchange, 415, "{\"error_code\":415,\"message\":\"Unsupported Media Type\"}");
                return;
            }
            String schema =
                    JSON.readTree(exchange.getRequestBody()).get("schema").asText();
            int id = idBySchema.computeIfAbsent(schema, s -> 100 + idBySchema.size());
            reply(exchange, 200, "{\"id\":" + id + "}");
        } else if (exchange.getRequestMethod().equals("GET") && path.startsWith("/schemas/ids/")) {
            int id = Integer.parseInt(path.substring("/schemas/ids/".length()));
            String schema = idBySchema.entrySet().stream()
                    .filter(e -> e.getValue() == id)
                    .map(Map.Entry::getKey)
                    .findFirst()
                    .orElse(null);
            if (schema == null) {
                reply(exchange, 404, "{\"error_code\":40403,\"message\":\"Schema " + id + " not found\"}");
            } else {
                reply(
                        exchange,
                        200,
                        JSON.createObjectNode().put("schema", schema).toString());
            }
        } else {
            reply(exchange, 404, "{\"error_code\":404,\"message\":\"HTTP 404 Not Found\"}");
        }
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Test
    void registersOnceFramesWithTheRegistryIdAndDecodesByFetchingTheSchema() {
        AvroSerializer<RealtimeEvent> serializer = new AvroSerializer<>();
        serializer.configure(Map.of(SchemaRegistry.URL_CONFIG, url), false);
        byte[] first = serializer.serialize("realtime.events", WireFormatTest.stepCompleted());
        byte[] second = serializer.serialize("realtime.events", WireFormatTest.stepCompleted());
        assertThat(WireFormat.schemaId(first)).isEqualTo(100);
        assertThat(second).isEqualTo(first);
        assertThat(requests).containsExactly("POST /subjects/realtime.events-value/versions");

        AvroDeserializer<RealtimeEvent> deserializer = new AvroDeserializer<>();
        deserializer.configure(
                Map.of(SchemaRegistry.URL_CONFIG, url, AvroDeserializer.TYPE_CONFIG, RealtimeEvent.class.getName()),
                false);
        assertThat(deserializer.deserialize("realtime.events", first)).isEqualTo(WireFormatTest.stepCompleted());
        assertThat(requests).endsWith("GET /schemas/ids/100");
    }

    /** Regression: a '+' in the URL's password was sent as a space (URLDecoder is for forms, not URLs). */
    @Test
    void aPasswordWithAPlusOrAnEscapeIsSentAsWritten() {
        password = "p+a@ss";
        SchemaRegistry registry = SchemaRegistry.forUrl(
                "http://svc:p+a%40ss@127.0.0.1:" + server.getAddress().getPort());
        assertThat(registry.idFor(
                        "realtime.events-value", WireFormatTest.stepCompleted().getSchema()))
                .isEqualTo(100);
    }

    @Test
    void anIdTheRegistryDoesNotKnowIsUnknownSchemaId() {
        byte[] bytes = WireFormat.encode(7, WireFormatTest.stepCompleted());
        AvroDeserializer<RealtimeEvent> deserializer =
                new AvroDeserializer<>(RealtimeEvent.class, SchemaRegistry.forUrl(url));
        assertThatThrownBy(() -> deserializer.deserialize("realtime.events", bytes))
                .isInstanceOfSatisfying(
                        WireFormatException.class,
                        e -> assertThat(e.reason()).isEqualTo(WireFormatException.Reason.UNKNOWN_SCHEMA_ID));
    }

    @Test
    void failuresNeverShowTheCredentials() {
        SchemaRegistry wrongPassword = SchemaRegistry.forUrl(
                "http://svc:wrong-pass@127.0.0.1:" + server.getAddress().getPort());
        assertThatThrownBy(() -> wrongPassword.idFor(
                        "s-value", WireFormatTest.stepCompleted().getSchema()))
                .isInstanceOfSatisfying(
                        WireFormatException.class,
                        e -> assertThat(e.reason()).isEqualTo(WireFormatException.Reason.REGISTRY_UNAVAILABLE))
                .hasMessageContaining("HTTP 401")
                .hasMessageNotContaining("wrong-pass");
        server.stop(0);
        SchemaRegistry down = SchemaRegistry.forUrl(url);
        assertThatThrownBy(() -> down.schemaFor(100))
                .isInstanceOfSatisfying(
                        WireFormatException.class,
                        e -> assertThat(e.reason()).isEqualTo(WireFormatException.Reason.REGISTRY_UNAVAILABLE))
                .hasMessageNotContaining("s3cret");
        assertThat(down.toString()).doesNotContain("s3cret");
    }

    /**
     * Regression: a service started with a malformed SCHEMA_REGISTRY_URL failed with URI's own message, which quotes
     * the whole URL, password included ("Illegal character in authority at index 7: http://svc:s3cret pass@..."); a
     * URL without http(s) or a host was taken, and failed only at the first record.
     */
    @Test
    void aMalformedUrlIsRefusedAtStartWithoutItsPassword() {
        for (String url : java.util.List.of(
                "http://svc:s3cret pass@registry:8081",
                "http://svc:s3cret@[registry:8081",
                "ftp://svc:s3cret@registry:8081",
                "registry:8081",
                "http://schema_registry:8081",
                "http://svc:s3cret/x@registry:8081",
                "http://svc:s3cret@registry:8081/?x=1")) {
            assertThatThrownBy(() -> SchemaRegistry.fromConfigs(java.util.Map.of(SchemaRegistry.URL_CONFIG, url)))
                    .as(url)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("SCHEMA_REGISTRY_URL (schema.registry.url) must be http://HOST:PORT or"
                            + " https://HOST:PORT, with an optional path, e.g. http://registry:8081; was ")
                    .hasMessageContaining(url.contains("@") ? "***@" : url)
                    .hasMessageNotContaining("s3cret");
        }
        assertThat(SchemaRegistry.forUrl("https://svc:s3cret@registry:8081/apis/ccompat/v7/")
                        .toString())
                .isEqualTo("RestSchemaRegistry[https://registry:8081/apis/ccompat/v7]");
    }

    @Test
    void aRefusalForGoodIsNotABlipButCredentialsAndOverloadAre() {
        SchemaRegistry registry = SchemaRegistry.forUrl(url);
        assertThatThrownBy(() -> registry.idFor(
                        "incompatible-value", WireFormatTest.stepCompleted().getSchema()))
                .isInstanceOfSatisfying(WireFormatException.class, e -> {
                    assertThat(e.reason()).isEqualTo(WireFormatException.Reason.REGISTRY_REFUSED);
                    assertThat(e.isTransient()).isFalse();
                })
                .hasMessageContaining("HTTP 409");
        SchemaRegistry wrongPassword = SchemaRegistry.forUrl(
                "http://svc:wrong@127.0.0.1:" + server.getAddress().getPort());
        assertThatThrownBy(() -> wrongPassword.idFor(
                        "s-value", WireFormatTest.stepCompleted().getSchema()))
                .isInstanceOfSatisfying(
                        WireFormatException.class,
                        e -> assertThat(e.isTransient()).isTrue());
    }
}
