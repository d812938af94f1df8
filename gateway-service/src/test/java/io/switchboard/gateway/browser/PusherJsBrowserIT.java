package io.switchboard.gateway.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.pusher.rest.Pusher;
import com.pusher.rest.data.Result;
import io.switchboard.gateway.GatewayApplication;
import io.switchboard.testkit.PusherJsSubscriber;
import io.switchboard.testkit.Soketi;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real pusher-js 8.4 client (node, {@code scripts/node/subscriber.js}) against Soketi 1.6.1, authorized by a real
 * gateway-service in jwt mode: what a browser sees when it signs in, reads an encrypted channel, joins a presence
 * channel, or presents a token it should not.
 *
 * <p>Sign-in is checked by Soketi itself, not only by recomputing the signature here: Soketi 1.6.1 implements
 * {@code pusher:signin} (ws-handler.js {@code handleSignin}) and verifies {@code key:HMAC-SHA256-hex(secret, socket_id
 * + "::user::" + user_data)}, Pusher's documented format, answering {@code pusher:signin_success}, or
 * {@code pusher:error} 4009 and a closed socket when the signature is wrong. It does so only for an app with user
 * authentication enabled ({@code SOKETI_DEFAULT_APP_USER_AUTHENTICATION=true}; otherwise it ignores the message without
 * an answer), and such an app closes any connection that neither signs in nor joins a private channel within 30 s, so
 * the sign-in tests use a Soketi of their own and the shared one stays as it is. Events sent to one user
 * ({@code #server-to-user-<id>}) and {@code terminate_connections} work in Soketi only for signed-in sockets, which
 * makes them the proof that the identity the gateway signed is the one Soketi attached to the connection.
 */
class PusherJsBrowserIT {

    private static final String SECRET = "a-test-hs256-secret-of-at-least-32-bytes!";
    private static final String AUDIENCE = "switchboard-browser";
    private static final String MASTER_KEY = randomKey();
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static ConfigurableApplicationContext gateway;
    private static String base;
    private static Soketi.Instance signinSoketi;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws IOException {
        Soketi.ensureRunning();
        signinSoketi = Soketi.Instance.withUserAuthentication(freePort());
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--management.server.port=0",
                "--switchboard.auth.mode=jwt",
                "--switchboard.auth.jwt.hs256-secret=" + SECRET,
                "--switchboard.auth.jwt.audience=" + AUDIENCE,
                "--switchboard.pusher.encryption-master-key-base64=" + MASTER_KEY,
                // the policy under test, stated here rather than inherited from the yml's defaults
                "--switchboard.auth.rules[0].channel=private-org.{org_id}",
                "--switchboard.auth.rules[0].claims.org_id=org_id",
                "--switchboard.auth.rules[1].channel=private-encrypted-org.{org_id}",
                "--switchboard.auth.rules[1].claims.org_id=org_id",
                "--switchboard.auth.rules[2].channel=presence-org.{org_id}",
                "--switchboard.auth.rules[2].claims.org_id=org_id"));
        Soketi.publisherArgs().stream()
                .filter(a -> !a.startsWith("--switchboard.auth.mode"))
                .forEach(args::add);
        gateway = GatewayApplication.builder().run(args.toArray(String[]::new));
        base = "http://127.0.0.1:" + gateway.getEnvironment().getProperty("local.server.port") + "/api/realtime/pusher";
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (signinSoketi != null) {
            signinSoketi.close();
        }
    }

    // --- (a) user authentication: pusher:signin ----------------------------------------------------------------

    @Test
    void aBrowserSignsInThroughTheUserAuthEndpointAsTheTokensSubject() {
        try (PusherJsSubscriber browser = PusherJsSubscriber.builder()
                .port(signinSoketi.port())
                .bearer(token("user-41", 41))
                .signIn(base + "/user-auth")
                .start()) {
            JsonNode user = browser.awaitSignedIn(WAIT);
            assertThat(user.get("id").asString()).isEqualTo("user-41");
            assertThat(user.path("user_info").path("name").asString()).isEqualTo("Ada");
        }
    }

    @Test
    void theBackendReachesOneSignedInUserAndCanTerminateTheirConnections() throws Exception {
        try (PusherJsSubscriber browser = PusherJsSubscriber.builder()
                        .port(signinSoketi.port())
                        .bearer(token("user-42", 42))
                        .signIn(base + "/user-auth")
                        .start();
                PusherJsSubscriber someoneElse = PusherJsSubscriber.builder()
                        .port(signinSoketi.port())
                        .bearer(token("user-43", 42))
                        .signIn(base + "/user-auth")
                        .start();
                Pusher backend = backend(signinSoketi.port())) {
            browser.awaitSignedIn(WAIT);
            someoneElse.awaitSignedIn(WAIT);

            // Pusher's "send to user" is an event on #server-to-user-<id>; pusher-http-java 1.3.4 has no method for
            // it and refuses '#' in trigger(), so the signed POST goes through its generic post()
            Result sent = backend.post(
                    "/events",
                    "{\"name\":\"notice\",\"channels\":[\"#server-to-user-user-42\"],\"data\":\"{\\\"n\\\":1}\"}");
            assertThat(sent.getStatus()).as(sent.getMessage()).isEqualTo(Result.Status.SUCCESS);
            await().atMost(WAIT).until(() -> !browser.userEvents().isEmpty());
            assertThat(browser.userEvents().get(0).event()).isEqualTo("notice");
            assertThat(browser.userEvents().get(0).data().get("n").asInt()).isEqualTo(1);

            Result terminated = backend.post("/users/user-42/terminate_connections", "{}");
            assertThat(terminated.getStatus()).as(terminated.getMessage()).isEqualTo(Result.Status.SUCCESS);
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(browser.errors())
                            .anySatisfy(e ->
                                    assertThat(e.raw().path("code").asInt()).isEqualTo(4009)));
            assertThat(someoneElse.userEvents())
                    .as("another user received nothing")
                    .isEmpty();
            assertThat(someoneElse.errors()).as("another user stays connected").isEmpty();
        }
    }

    @Test
    void theUserAuthSignatureIsPushersDocumentedFormat() throws Exception {
        HttpResponse<String> answer = post("/user-auth", token("user-44", 44), "socket_id=123.456");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(answer.body());
        String userData = body.get("user_data").asString();
        assertThat(body.get("auth").asString()).isEqualTo(Soketi.KEY + ":" + hmac("123.456::user::" + userData));
        assertThat(JSON.readTree(userData).get("id").asString()).isEqualTo("user-44");
    }

    @Test
    void aForgedTokenGetsNoSignIn() {
        try (PusherJsSubscriber browser = PusherJsSubscriber.builder()
                .port(signinSoketi.port())
                .bearer(forged("user-45", 45))
                .signIn(base + "/user-auth")
                .start()) {
            await().atMost(WAIT).until(() -> !browser.errors().isEmpty());
            assertThat(browser.errors().get(0).raw().path("where").asString()).isEqualTo("signin");
            assertThat(browser.errors().get(0).statusCode()).isEqualTo(401);
            assertThat(browser.signedIn()).isEmpty();
        }
    }

    // --- (b) end-to-end encrypted channels ----------------------------------------------------------------------

    @Test
    void anEncryptedChannelsEventsTravelAsCiphertextAndPusherJsDecryptsThem() throws Exception {
        String channel = "private-encrypted-org.51";
        String secretText = "for org 51 only " + UUID.randomUUID();
        try (PusherJsSubscriber browser = PusherJsSubscriber.builder()
                        .bearer(token("user-51", 51))
                        .authEndpoint(base + "/auth")
                        .channels(channel)
                        .pusherLog(true)
                        .start();
                Pusher backend = backend(Soketi.port())) {
            browser.awaitSubscribed(List.of(channel), WAIT);
            // what publisher-service does with PUSHER_ENCRYPTION_MASTER_KEY_BASE64: pusher-http-java encrypts
            Result sent = backend.trigger(channel, "audit.step_completed", Map.of("note", secretText, "score", 8));
            assertThat(sent.getStatus()).as(sent.getMessage()).isEqualTo(Result.Status.SUCCESS);

            await().atMost(WAIT).until(() -> !browser.events(channel).isEmpty());
            PusherJsSubscriber.Message event = browser.events(channel).get(0);
            assertThat(event.event()).isEqualTo("audit.step_completed");
            assertThat(event.data().get("note").asString()).isEqualTo(secretText);
            assertThat(event.data().get("score").asInt()).isEqualTo(8);

            JsonNode onTheWire = browser.wire(channel).get(0).data();
            assertThat(onTheWire.has("ciphertext") && onTheWire.has("nonce"))
                    .as("on the wire: %s", onTheWire)
                    .isTrue();
            assertThat(onTheWire.toString()).doesNotContain(secretText);
        }
    }

    @Test
    void anotherTenantGetsNoSharedSecretForAnEncryptedChannel() throws Exception {
        HttpResponse<String> answer =
                post("/auth", token("user-52", 52), "socket_id=123.456&channel_name=private-encrypted-org.51");
        assertThat(answer.statusCode()).isEqualTo(403);
        assertThat(answer.body()).doesNotContain("shared_secret").doesNotContain("\"auth\"");
    }

    // --- (c) presence ---------------------------------------------------------------------------------------

    @Test
    void presenceMembersCarryEachTokensSubjectAndClaims() {
        String channel = "presence-org.61";
        try (PusherJsSubscriber first = PusherJsSubscriber.builder()
                .bearer(token("user-61", 61, "Ada"))
                .authEndpoint(base + "/auth")
                .channels(channel)
                .start()) {
            JsonNode alone = first.awaitSubscribed(List.of(channel), WAIT)
                    .members(channel)
                    .orElseThrow();
            assertThat(alone.get("me").get("id").asString()).isEqualTo("user-61");
            assertThat(alone.get("me").get("info").get("name").asString()).isEqualTo("Ada");
            assertThat(alone.get("count").asInt()).isEqualTo(1);

            try (PusherJsSubscriber second = PusherJsSubscriber.builder()
                    .bearer(token("user-62", 61, "Grace"))
                    .authEndpoint(base + "/auth")
                    .channels(channel)
                    .start()) {
                JsonNode both = second.awaitSubscribed(List.of(channel), WAIT)
                        .members(channel)
                        .orElseThrow();
                assertThat(both.get("me").get("id").asString()).isEqualTo("user-62");
                assertThat(both.get("members")
                                .valueStream()
                                .map(m -> m.get("id").asString() + "="
                                        + m.get("info").get("name").asString()))
                        .containsExactlyInAnyOrder("user-61=Ada", "user-62=Grace");

                await().atMost(WAIT).until(() -> !first.membersAdded(channel).isEmpty());
                JsonNode added = first.membersAdded(channel).get(0);
                assertThat(added.get("id").asString()).isEqualTo("user-62");
                assertThat(added.get("info").get("name").asString()).isEqualTo("Grace");
            }
        }
    }

    // --- (d) callers that must get no subscription ----------------------------------------------------------------

    static Stream<Arguments> refusedCallers() throws Exception {
        Instant inAnHour = Instant.now().plusSeconds(3600);
        return Stream.of(
                Arguments.of("a forged signature", forged("user-71", 71), "private-org.71", 401),
                Arguments.of(
                        "an expired token",
                        token(
                                SECRET,
                                "user-71",
                                71,
                                "Ada",
                                AUDIENCE,
                                Instant.now().minusSeconds(120)),
                        "private-org.71",
                        401),
                Arguments.of(
                        "a token for another audience",
                        token(SECRET, "user-71", 71, "Ada", "another-service", inAnHour),
                        "private-org.71",
                        401),
                Arguments.of("another tenant's channel", token("user-71", 72), "private-org.71", 403),
                Arguments.of(
                        "another tenant's encrypted channel", token("user-71", 72), "private-encrypted-org.71", 403),
                Arguments.of("another tenant's presence channel", token("user-71", 72), "presence-org.71", 403));
    }

    @ParameterizedTest(name = "{0} gets no subscription")
    @MethodSource("refusedCallers")
    void aCallerThatMayNotReadGetsNoSubscription(String who, String token, String channel, int status) {
        try (PusherJsSubscriber browser = PusherJsSubscriber.builder()
                .bearer(token)
                .authEndpoint(base + "/auth")
                .channels(channel)
                .start()) {
            PusherJsSubscriber.Message refused = browser.awaitSubscriptionError(channel, WAIT);
            assertThat(refused.statusCode()).as(who).isEqualTo(status);
            assertThat(browser.subscribed(channel)).isFalse();
        }
    }

    // --- helpers --------------------------------------------------------------------------------------------

    private static String token(String sub, int orgId) {
        return token(sub, orgId, "Ada");
    }

    private static String token(String sub, int orgId, String name) {
        return token(SECRET, sub, orgId, name, AUDIENCE, Instant.now().plusSeconds(3600));
    }

    private static String forged(String sub, int orgId) {
        return token(
                "another-secret-that-is-also-32-bytes-long",
                sub,
                orgId,
                "Ada",
                AUDIENCE,
                Instant.now().plusSeconds(3600));
    }

    private static String token(String secret, String sub, int orgId, String name, String audience, Instant expires) {
        try {
            JWTClaimsSet claims = new JWTClaimsSet.Builder()
                    .subject(sub)
                    .audience(audience)
                    .claim("org_id", orgId)
                    .claim("name", name)
                    .issueTime(new Date())
                    .expirationTime(Date.from(expires))
                    .build();
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A backend's Pusher client on the Soketi at {@code port}, holding the same master key as the gateway. */
    private static Pusher backend(int port) {
        Pusher pusher = new Pusher(Soketi.APP_ID, Soketi.KEY, Soketi.SECRET, MASTER_KEY);
        pusher.setHost("127.0.0.1:" + port);
        pusher.setEncrypted(false);
        return pusher;
    }

    private HttpResponse<String> post(String path, String bearer, String form) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .header("Authorization", "Bearer " + bearer)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String hmac(String toSign) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Soketi.SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(toSign.getBytes(StandardCharsets.UTF_8)));
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
