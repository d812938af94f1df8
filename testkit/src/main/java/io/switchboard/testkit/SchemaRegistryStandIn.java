package io.switchboard.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A stand-in for a Confluent-compatible schema registry, on 127.0.0.1: the two calls Switchboard makes,
 * {@code POST /subjects/{subject}/versions} (register, or the id of an identical schema) and
 * {@code GET /schemas/ids/{id}}, with Confluent's status codes and content type. A real registry (Confluent,
 * Apicurio, Karapace) is not served here; this one can also go down on demand ({@link #down}: every call answers
 * 503, as a registry behind a load balancer does while it restarts). Ids start at 101, so they never meet the ids
 * pinned in {@code schemas}.
 */
public final class SchemaRegistryStandIn implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    private final HttpServer server;
    private final Map<String, Integer> ids = new ConcurrentHashMap<>();
    private final Map<Integer, String> schemas = new ConcurrentHashMap<>();
    private final AtomicInteger next = new AtomicInteger(101);
    private final AtomicInteger refused = new AtomicInteger();
    private volatile boolean down;

    private SchemaRegistryStandIn(HttpServer server) {
        this.server = server;
    }

    public static SchemaRegistryStandIn start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        SchemaRegistryStandIn registry = new SchemaRegistryStandIn(server);
        server.createContext("/", registry::handle);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "schema-registry-stand-in");
            t.setDaemon(true);
            return t;
        }));
        server.start();
        return registry;
    }

    /** The URL to give as {@code SCHEMA_REGISTRY_URL}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** While down, every call answers 503. */
    public void down(boolean down) {
        this.down = down;
    }

    /** Calls answered 503 so far. */
    public int refused() {
        return refused.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (down) {
                refused.incrementAndGet();
                answer(exchange, 503, error(50003, "registry unavailable"));
                return;
            }
            String path = exchange.getRequestURI().getPath();
            if ("POST".equals(exchange.getRequestMethod())
                    && path.startsWith("/subjects/")
                    && path.endsWith("/versions")) {
                JsonNode body = JSON.readTree(exchange.getRequestBody());
                String schema = body.path("schema").asString();
                int id = ids.computeIfAbsent(schema, s -> next.getAndIncrement());
                schemas.putIfAbsent(id, schema);
                answer(exchange, 200, JSON.createObjectNode().put("id", id));
            } else if ("GET".equals(exchange.getRequestMethod()) && path.startsWith("/schemas/ids/")) {
                String schema;
                try {
                    schema = schemas.get(Integer.parseInt(path.substring("/schemas/ids/".length())));
                } catch (NumberFormatException e) {
                    schema = null;
                }
                if (schema == null) {
                    answer(exchange, 404, error(40403, "Schema not found"));
                } else {
                    answer(exchange, 200, JSON.createObjectNode().put("schema", schema));
                }
            } else {
                answer(exchange, 404, error(404, "not a call this stand-in serves: " + path));
            }
        }
    }

    private static ObjectNode error(int code, String message) {
        return JSON.createObjectNode().put("error_code", code).put("message", message);
    }

    private static void answer(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
