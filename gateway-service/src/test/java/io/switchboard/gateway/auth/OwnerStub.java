package io.switchboard.gateway.auth;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real owning service on 127.0.0.1 (the JDK's HTTP server): it records every call the gateway makes, how many
 * were in flight at once, and answers as its {@link Behaviour} says.
 */
final class OwnerStub implements AutoCloseable {

    static {
        // the JDK server otherwise waits ~40 ms per answer (Nagle's algorithm; field notes)
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One call as the owner saw it. */
    record Call(String bearer, String channel, JsonNode params, String sub) {}

    @FunctionalInterface
    interface Behaviour {
        void answer(Call call, HttpExchange exchange) throws Exception;
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();

    OwnerStub(Behaviour behaviour) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(threads);
        server.createContext("/can-read", exchange -> {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
                String authorization = exchange.getRequestHeaders().getFirst("Authorization");
                Call call = new Call(
                        authorization == null ? null : authorization.substring("Bearer ".length()),
                        body.get("channel_name").asString(),
                        body.get("params"),
                        body.get("sub").isNull() ? null : body.get("sub").asString());
                calls.add(call);
                behaviour.answer(call, exchange);
            } catch (Exception e) {
                reply(exchange, 599, "text/plain", "stub failed: " + e);
            } finally {
                inFlight.decrementAndGet();
                exchange.close();
            }
        });
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/can-read");
    }

    List<Call> calls() {
        return List.copyOf(calls);
    }

    long callsFor(String channel) {
        return calls.stream().filter(c -> c.channel().equals(channel)).count();
    }

    int inFlight() {
        return inFlight.get();
    }

    int maxInFlight() {
        return maxInFlight.get();
    }

    static void reply(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (contentType != null) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
        }
        exchange.sendResponseHeaders(status, status == 204 || bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0 && status != 204) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    static void json(HttpExchange exchange, int status, String body) throws IOException {
        reply(exchange, status, "application/json", body);
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
