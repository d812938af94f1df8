package io.switchboard.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A faithful stand-in for Pusher's HTTP API, for what Soketi cannot do on demand: answer 429 or 5xx when told,
 * or add a fixed latency to every request (a real network round trip). It checks what Pusher checks: the request
 * signature (auth_key, auth_timestamp, auth_version, body_md5, auth_signature as HMAC-SHA256 of
 * "METHOD\nPATH\nsorted query"), at most 10 events per batch_events request, at most 100 channels per trigger, and
 * data under 10 KB (413 otherwise). Accepted events are kept in order of acceptance.
 */
public final class PusherStandIn implements AutoCloseable {

    static {
        // the JDK server otherwise waits ~40 ms per response (Nagle's algorithm; see field notes)
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MAX_DATA_BYTES = 10_240;

    /** One event Pusher accepted for one channel, and when (System.nanoTime). */
    public record Delivered(String channel, String name, String data, long acceptedNanos) {
        public Delivered(String channel, String name, String data) {
            this(channel, name, data, System.nanoTime());
        }
    }

    /** A scripted answer instead of the real one: status, body, and Retry-After (null for none). */
    public record Fault(int status, String body, String retryAfter) {}

    private final String appId;
    private final String key;
    private final String secret;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Delivered> delivered = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Fault> faults = new ConcurrentLinkedQueue<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final List<Long> requestTimes = new CopyOnWriteArrayList<>();
    private final AtomicInteger refusedSignatures = new AtomicInteger();
    private volatile Duration latency = Duration.ZERO;
    private volatile Fault windowFault;
    private volatile long windowEndNanos;

    public PusherStandIn(String appId, String key, String secret) throws IOException {
        this.appId = appId;
        this.key = key;
        this.secret = secret;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Arguments pointing publisher-service here, as {@link Soketi#publisherArgs()} points it at Soketi. */
    public List<String> publisherArgs() {
        return List.of(
                "--switchboard.pusher.app-id=" + appId,
                "--switchboard.pusher.key=" + key,
                "--switchboard.pusher.secret=" + secret,
                "--switchboard.pusher.host=127.0.0.1",
                "--switchboard.pusher.port=" + port(),
                "--switchboard.pusher.scheme=http");
    }

    /** Every request from now on waits this long before it is answered. */
    public void latency(Duration latency) {
        this.latency = latency;
    }

    /** The next requests get these answers, one each, whatever they carry. */
    public void failNext(Fault... answers) {
        faults.addAll(List.of(answers));
    }

    /** Every request for the next {@code window} gets this answer (an outage, a storm of 429s). */
    public void failFor(Duration window, Fault answer) {
        windowEndNanos = System.nanoTime() + window.toNanos();
        windowFault = answer;
    }

    public List<Delivered> delivered() {
        return List.copyOf(delivered);
    }

    public int requests() {
        return requests.get();
    }

    /** When each request arrived (System.nanoTime), in order of arrival. */
    public List<Long> requestTimes() {
        return List.copyOf(requestTimes);
    }

    public int refusedSignatures() {
        return refusedSignatures.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.incrementAndGet();
            requestTimes.add(System.nanoTime());
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (!latency.isZero()) {
                Thread.sleep(latency.toMillis());
            }
            Fault fault = faults.poll();
            if (fault == null && windowFault != null && System.nanoTime() < windowEndNanos) {
                fault = windowFault;
            }
            if (fault != null) {
                if (fault.retryAfter() != null) {
                    exchange.getResponseHeaders().add("Retry-After", fault.retryAfter());
                }
                answer(exchange, fault.status(), fault.body());
                return;
            }
            String path = exchange.getRequestURI().getRawPath();
            String query = exchange.getRequestURI().getRawQuery();
            if (!"POST".equals(exchange.getRequestMethod())
                    || !(path.equals("/apps/" + appId + "/events")
                            || path.equals("/apps/" + appId + "/batch_events"))) {
                answer(exchange, 404, "not found");
                return;
            }
            if (!signed(exchange.getRequestMethod(), path, query, body)) {
                refusedSignatures.incrementAndGet();
                answer(exchange, 401, "Invalid signature");
                return;
            }
            JsonNode request = JSON.readTree(body);
            List<Delivered> events = new ArrayList<>();
            if (path.endsWith("/batch_events")) {
                JsonNode batch = request.path("batch");
                if (batch.size() > 10) {
                    answer(exchange, 400, "Batch too large (max 10)");
                    return;
                }
                for (JsonNode event : batch) {
                    events.add(new Delivered(
                            event.path("channel").asString(),
                            event.path("name").asString(),
                            event.path("data").asString()));
                }
            } else {
                JsonNode channels = request.path("channels");
                if (channels.size() > 100) {
                    answer(exchange, 400, "Too many channels (max 100)");
                    return;
                }
                for (JsonNode channel : channels) {
                    events.add(new Delivered(
                            channel.asString(),
                            request.path("name").asString(),
                            request.path("data").asString()));
                }
            }
            for (Delivered event : events) {
                if (event.data().getBytes(StandardCharsets.UTF_8).length > MAX_DATA_BYTES) {
                    answer(exchange, 413, "Payload Too Large");
                    return;
                }
            }
            delivered.addAll(events);
            answer(exchange, 200, "{}");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean signed(String method, String path, String query, byte[] body) {
        Map<String, String> params = new TreeMap<>();
        if (query == null) {
            return false;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            params.put(
                    URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        String signature = params.remove("auth_signature");
        if (signature == null
                || !key.equals(params.get("auth_key"))
                || !"1.0".equals(params.get("auth_version"))
                || !hex(md5(body)).equals(params.get("body_md5"))) {
            return false;
        }
        long timestamp = Long.parseLong(params.getOrDefault("auth_timestamp", "0"));
        if (Math.abs(System.currentTimeMillis() / 1000 - timestamp) > 600) {
            return false;
        }
        StringBuilder toSign =
                new StringBuilder(method).append('\n').append(path).append('\n');
        params.forEach((k, v) -> toSign.append(k).append('=').append(v).append('&'));
        toSign.setLength(toSign.length() - 1);
        return MessageDigest.isEqual(
                hmac(toSign.toString()).getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII));
    }

    private String hmac(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return hex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] md5(byte[] body) {
        try {
            return MessageDigest.getInstance("MD5").digest(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
