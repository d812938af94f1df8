package io.switchboard.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.switchboard.gateway.GatewayApplication;
import io.switchboard.testkit.KafkaTestBroker;
import io.switchboard.testkit.PusherJsSubscriber;
import io.switchboard.testkit.Soketi;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The auth endpoint in jwt mode, with the default channel policy, signing for a real pusher-js client on Soketi;
 * and every forged request refused.
 */
class GatewayAuthIT {

    private static final String SECRET = "a-test-hs256-secret-of-at-least-32-bytes!";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static ConfigurableApplicationContext publisher;
    private static String base;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        Soketi.ensureRunning();
        List<String> args = new ArrayList<>(List.of(
                "--spring.kafka.bootstrap-servers=" + KafkaTestBroker.bootstrapServers(),
                "--server.port=0",
                "--switchboard.auth.mode=jwt",
                "--switchboard.auth.jwt.hs256-secret=" + SECRET));
        Soketi.publisherArgs().stream()
                .filter(a -> !a.startsWith("--switchboard.auth.mode"))
                .forEach(args::add);
        publisher = GatewayApplication.builder().run(args.toArray(String[]::new));
        base = "http://127.0.0.1:" + publisher.getEnvironment().getProperty("local.server.port")
                + "/api/realtime/pusher";
    }

    @AfterAll
    static void stop() {
        if (publisher != null) {
            publisher.close();
        }
    }

    private static String token(String secret, String sub, Object orgId, Instant expires) throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(sub)
                .claim("org_id", orgId)
                .claim("name", "Ada")
                .issueTime(new Date())
                .expirationTime(Date.from(expires))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    private static String valid(String sub, Object orgId) throws Exception {
        return token(SECRET, sub, orgId, Instant.now().plusSeconds(600));
    }

    private HttpResponse<String> auth(String bearer, String channel) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/auth"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("socket_id=123.456&channel_name=" + channel));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aCallerGetsItsOwnTenantsChannelSignedAsPusherSpecifies() throws Exception {
        HttpResponse<String> answer = auth(valid("user-1", 5), "private-org.5");
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(answer.body()).get("auth").asString())
                .isEqualTo(Soketi.KEY + ":" + hmac("123.456:private-org.5"));
        assertThat(auth(valid("user-1", 5), "private-job-status.user-1").statusCode())
                .isEqualTo(200);
    }

    @Test
    void presenceMembersAreTheTokensSubject() throws Exception {
        HttpResponse<String> answer = auth(valid("user-1", 5), "presence-org.5");
        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(answer.body());
        JsonNode channelData = JSON.readTree(body.get("channel_data").asString());
        assertThat(channelData.get("user_id").asString()).isEqualTo("user-1");
        assertThat(channelData.get("user_info").get("name").asString()).isEqualTo("Ada");
        assertThat(body.get("auth").asString())
                .isEqualTo(Soketi.KEY + ":"
                        + hmac("123.456:presence-org.5:"
                                + body.get("channel_data").asString()));
    }

    @Test
    void forgedExpiredWrongTenantAndMalformedRequestsGetNoSignature() throws Exception {
        List<HttpResponse<String>> refused = List.of(
                auth(null, "private-org.5"), // no token
                auth(
                        token(
                                "another-secret-that-is-also-32-bytes-long",
                                "user-1",
                                5,
                                Instant.now().plusSeconds(600)),
                        "private-org.5"), // forged
                auth(token(SECRET, "user-1", 5, Instant.now().minusSeconds(120)), "private-org.5"), // expired
                auth(valid("user-1", 5), "private-org.6"), // another tenant
                auth(valid("user-1", 5), "private-job-status.user-2"), // another user
                auth(valid("user-1", 5), "private-audit-A"), // no rule grants it
                auth("not.a.jwt", "private-org.5"), // malformed
                auth(unsigned(), "private-org.5")); // alg none
        assertThat(refused).allSatisfy(r -> {
            assertThat(r.statusCode()).isIn(401, 403);
            assertThat(r.body()).doesNotContain("\"auth\"");
        });
        assertThat(refused.get(1).statusCode()).isEqualTo(401);
        assertThat(refused.get(2).statusCode()).isEqualTo(401);
        assertThat(refused.get(3).statusCode()).isEqualTo(403);
    }

    @Test
    void theTestEndpointReachesARealSubscriberOnlyOnChannelsTheCallerMayRead() throws Exception {
        String channel = "private-org.77";
        String token = valid("user-7", 77);
        try (PusherJsSubscriber browser =
                PusherJsSubscriber.start(base + "/auth", List.of(channel), "Bearer " + token)) {
            browser.awaitSubscribed(List.of(channel), Duration.ofSeconds(20));
            HttpResponse<String> sent = test(token, "{\"channel\":\"" + channel + "\"}");
            assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> !browser.events(channel).isEmpty());
            PusherJsSubscriber.Message event = browser.events(channel).get(0);
            assertThat(event.event()).isEqualTo("realtime.test");
            assertThat(event.data().get("message").asString()).isNotBlank();
            assertThat(Instant.parse(event.data().get("ts").asString())).isBefore(Instant.now());
        }
        assertThat(test(token, "{\"channel\":\"private-org.78\"}").statusCode()).isEqualTo(403);
        assertThat(test(token, "{}").statusCode())
                .as("private-realtime-test is granted by no rule")
                .isEqualTo(403);
    }

    private HttpResponse<String> test(String token, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(base + "/test"))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String unsigned() {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));
        String body = b64.encodeToString(
                ("{\"sub\":\"user-1\",\"org_id\":5,\"exp\":" + (Instant.now().getEpochSecond() + 600) + "}")
                        .getBytes(StandardCharsets.UTF_8));
        return header + "." + body + ".";
    }

    private static String hmac(String toSign) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Soketi.SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(toSign.getBytes(StandardCharsets.UTF_8)));
    }
}
