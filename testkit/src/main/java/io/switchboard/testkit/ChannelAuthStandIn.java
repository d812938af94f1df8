package io.switchboard.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A test-only stand-in for gateway-service's channel auth endpoint ({@code POST /api/realtime/pusher/auth}), so
 * that publisher-service's tests can subscribe a real pusher-js client to private, presence and encrypted channels
 * without depending on another service. It has no policy at all: it signs every private, presence and
 * {@code private-encrypted-} channel it is asked about. Never use it outside tests.
 *
 * <p>It answers as Pusher documents (https://pusher.com/docs/channels/library_auth_reference/auth-signatures/):
 * <ul>
 *   <li>{@code auth} = {@code key:HMAC-SHA256-hex(secret, "socket_id:channel_name")}; for presence channels the
 *       string to sign ends with {@code ":channel_data"}, and {@code channel_data} is in the answer;
 *   <li>for {@code private-encrypted-} channels, {@code shared_secret} = base64(SHA-256(channel name's UTF-8 bytes
 *       followed by the 32 bytes of the encryption master key)), the key that pusher-js decrypts the channel's
 *       events with.
 * </ul>
 * Written from that definition rather than with pusher-http-java on purpose: the publisher encrypts with
 * pusher-http-java, so a pusher-js client that decrypts what it receives proves that the library and Pusher's
 * definition agree, which a stand-in built on the same library could not.
 *
 * <p>It takes pusher-js's form-encoded body and a JSON body ({@code socket_id}, {@code channel_name}); a missing
 * field, a public channel, or an encrypted channel without a master key is answered 400 or 403.
 */
public final class ChannelAuthStandIn implements AutoCloseable {

    static {
        // the JDK server otherwise waits ~40 ms per response (Nagle's algorithm; see field notes)
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    /** Where pusher-js is told to ask, relative to {@link #url()}'s host. */
    public static final String PATH = "/api/realtime/pusher/auth";

    private static final String ENCRYPTED_PREFIX = "private-encrypted-";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One channel the stand-in signed. */
    public record Signed(String socketId, String channel) {}

    private final String key;
    private final byte[] secret;
    private final byte[] masterKey;
    private final String presenceUserId;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Signed> signed = new CopyOnWriteArrayList<>();

    /**
     * @param masterKeyBase64 the encryption master key (base64 of 32 bytes), or null to refuse encrypted channels
     * @param presenceUserId the {@code user_id} in presence channels' {@code channel_data}
     */
    public ChannelAuthStandIn(String key, String secret, String masterKeyBase64, String presenceUserId)
            throws IOException {
        this.key = key;
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.masterKey = masterKeyBase64 == null ? null : Base64.getDecoder().decode(masterKeyBase64);
        if (masterKey != null && masterKey.length != 32) {
            throw new IllegalArgumentException("the master key must be 32 bytes, not " + masterKey.length);
        }
        this.presenceUserId = presenceUserId;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.createContext(PATH, this::handle);
        server.setExecutor(threads);
        server.start();
    }

    /** For Soketi's test app ({@link Soketi#KEY}, {@link Soketi#SECRET}). */
    public static ChannelAuthStandIn forSoketi(String masterKeyBase64) throws IOException {
        return new ChannelAuthStandIn(Soketi.KEY, Soketi.SECRET, masterKeyBase64, "stand-in-user");
    }

    /** The endpoint's URL, for pusher-js's {@code channelAuthorization.endpoint}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + PATH;
    }

    /** Every channel signed so far, in order. */
    public List<Signed> signed() {
        return List.copyOf(signed);
    }

    /** Pusher's {@code auth} value for a private or encrypted channel. */
    public String auth(String socketId, String channel) {
        return key + ":" + hmac(socketId + ":" + channel);
    }

    /** Pusher's {@code auth} value for a presence channel with this {@code channel_data}. */
    public String auth(String socketId, String channel, String channelData) {
        return key + ":" + hmac(socketId + ":" + channel + ":" + channelData);
    }

    /** The channel's {@code shared_secret}: base64(SHA-256(channel name bytes ‖ master key)), padded. */
    public static String sharedSecret(String channel, byte[] masterKey) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(channel.getBytes(StandardCharsets.UTF_8));
            sha256.update(masterKey);
            return Base64.getEncoder().encodeToString(sha256.digest());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                answer(exchange, 405, "{\"error\":\"POST only\"}");
                return;
            }
            Map<String, String> fields = fields(exchange);
            String socketId = fields.get("socket_id");
            String channel = fields.get("channel_name");
            if (socketId == null || socketId.isBlank() || channel == null || channel.isBlank()) {
                answer(exchange, 400, "{\"error\":\"socket_id and channel_name are required\"}");
                return;
            }
            ObjectNode body = JSON.createObjectNode();
            if (channel.startsWith("presence-")) {
                String channelData =
                        JSON.writeValueAsString(JSON.createObjectNode().put("user_id", presenceUserId));
                body.put("auth", auth(socketId, channel, channelData));
                body.put("channel_data", channelData);
            } else if (channel.startsWith(ENCRYPTED_PREFIX)) {
                if (masterKey == null) {
                    answer(exchange, 403, "{\"error\":\"no master key: encrypted channels are refused\"}");
                    return;
                }
                body.put("auth", auth(socketId, channel));
                body.put("shared_secret", sharedSecret(channel, masterKey));
            } else if (channel.startsWith("private-")) {
                body.put("auth", auth(socketId, channel));
            } else {
                answer(exchange, 403, "{\"error\":\"public channels need no auth\"}");
                return;
            }
            signed.add(new Signed(socketId, channel));
            answer(exchange, 200, JSON.writeValueAsString(body));
        }
    }

    private static Map<String, String> fields(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        Map<String, String> fields = new HashMap<>();
        if (type != null && type.startsWith("application/json")) {
            JsonNode json = JSON.readTree(body);
            json.properties().forEach(e -> fields.put(e.getKey(), e.getValue().asString()));
            return fields;
        }
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                fields.put(
                        URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return fields;
    }

    private String hmac(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
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
