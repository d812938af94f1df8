package io.switchboard.gateway.http;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.switchboard.gateway.GatewayApplication;
import io.switchboard.testkit.OperatorEnvironment;
import io.switchboard.testkit.Soketi;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One gateway-service started as an operator starts it (environment variables), on random ports bound to
 * 127.0.0.1, with Pusher pointed at the shared Soketi; and the requests the HTTP tests send it.
 */
final class TestGateway implements AutoCloseable {

    static final String JWT_SECRET = "a-test-hs256-secret-of-at-least-32-bytes!";
    static final String OPERATOR_TOKEN = "an-operator-token-that-is-at-least-32-bytes";

    private final ConfigurableApplicationContext context;
    private final HttpClient http = HttpClient.newHttpClient();

    private TestGateway(ConfigurableApplicationContext context) {
        this.context = context;
    }

    /** Environment variables for a gateway in jwt mode with the test secret, pointed at Soketi. */
    static Map<String, String> jwtMode() {
        return Map.of("SWITCHBOARD_AUTH_MODE", "jwt", "SWITCHBOARD_JWT_HS256_SECRET", JWT_SECRET);
    }

    static TestGateway start(Map<String, String> environment, String... args) {
        SpringApplicationBuilder builder = GatewayApplication.builder();
        builder.environment(OperatorEnvironment.of(withSoketi(environment)));
        List<String> all = new ArrayList<>(List.of(args));
        for (String port : new String[] {"--server.port=", "--management.server.port="}) {
            if (all.stream().noneMatch(a -> a.startsWith(port))) {
                all.add(port + "0"); // random, bound to 127.0.0.1 (the yml's default addresses)
            }
        }
        return new TestGateway(builder.run(all.toArray(String[]::new)));
    }

    /** Soketi's app as environment variables, under what the test sets (the test's values win). */
    static Map<String, String> withSoketi(Map<String, String> environment) {
        Map<String, String> all = new java.util.HashMap<>(Map.of(
                "PUSHER_APP_ID",
                Soketi.APP_ID,
                "PUSHER_KEY",
                Soketi.KEY,
                "PUSHER_SECRET",
                Soketi.SECRET,
                "PUSHER_HOST",
                "127.0.0.1",
                "PUSHER_PORT",
                Integer.toString(Soketi.port()),
                "PUSHER_SCHEME",
                "http"));
        all.putAll(environment);
        return all;
    }

    ConfigurableApplicationContext context() {
        return context;
    }

    String api(String path) {
        return "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port") + "/api/realtime/pusher"
                + path;
    }

    String publicUrl(String path) {
        return "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port") + path;
    }

    String management(String path) {
        return "http://127.0.0.1:" + context.getEnvironment().getProperty("local.management.port") + path;
    }

    HttpResponse<String> form(String path, String bearer, String body) throws IOException, InterruptedException {
        return send(request(api(path), bearer)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    HttpResponse<String> json(String path, String bearer, String body) throws IOException, InterruptedException {
        return send(request(api(path), bearer)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    HttpResponse<String> auth(String bearer, String channel) throws IOException, InterruptedException {
        return form("/auth", bearer, "socket_id=123.456&channel_name=" + channel);
    }

    HttpResponse<String> get(String url, String bearer) throws IOException, InterruptedException {
        return send(request(url, bearer).GET().build());
    }

    java.util.concurrent.CompletableFuture<HttpResponse<String>> sendAsync(HttpRequest request) {
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    static HttpRequest.Builder request(String url, String bearer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return request;
    }

    /** A token signed with {@code secret}, with the subject, the claims, {@code name: Ada} and an expiry. */
    static String token(String secret, String sub, Map<String, Object> claims, Instant expires) {
        JWTClaimsSet.Builder set = new JWTClaimsSet.Builder()
                .subject(sub)
                .claim("name", "Ada")
                .issueTime(new Date())
                .expirationTime(Date.from(expires));
        claims.forEach(set::claim);
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), set.build());
        try {
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    /** A valid browser token for the test secret, ten minutes long. */
    static String browserToken(String sub, Object orgId) {
        return token(JWT_SECRET, sub, Map.of("org_id", orgId), Instant.now().plusSeconds(600));
    }

    /** HMAC-SHA256 in hex with Soketi's secret, computed here independently of the gateway. */
    static String hmac(String toSign) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Soketi.SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(toSign.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        context.close();
    }
}
