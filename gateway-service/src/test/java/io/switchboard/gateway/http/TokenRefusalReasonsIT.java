package io.switchboard.gateway.http;

import static io.switchboard.gateway.http.TestGateway.JWT_SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Security review, MED/LOW: the refusal counter put expired, forged, wrong-audience and malformed tokens all under
 * {@code invalid_token}, so a forged-token storm hid behind stale tabs. Each now has its own reason:
 * {@code token_expired}, {@code token_signature} (bad signature, unknown key, unsigned), {@code token_claims}
 * ({@code aud}, {@code iss}, {@code sub}, a missing {@code exp}) and {@code token_malformed}, so the alert on
 * forgeries ({@code token_signature} + {@code token_malformed}) does not fire for expiries, and does for forgeries.
 */
class TokenRefusalReasonsIT {

    private static final String AUDIENCE = "switchboard-test";
    private static final String ISSUER = "https://id.example.com";
    private static final List<String> REASONS =
            List.of("token_expired", "token_signature", "token_claims", "token_malformed", "no_token");
    private static TestGateway gateway;

    @BeforeAll
    static void start() {
        Map<String, String> env = new HashMap<>(TestGateway.jwtMode());
        env.put("SWITCHBOARD_JWT_AUDIENCE", AUDIENCE);
        env.put("SWITCHBOARD_JWT_ISSUER", ISSUER);
        gateway = TestGateway.start(env);
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    /** A token the gateway accepts, but for what the test changes. */
    private static JWTClaimsSet.Builder valid() {
        return new JWTClaimsSet.Builder()
                .subject("user-1")
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .claim("org_id", 5)
                .issueTime(Date.from(Instant.now().minusSeconds(600)))
                .expirationTime(Date.from(Instant.now().plusSeconds(600)));
    }

    private static String sign(JWTClaimsSet.Builder claims, String secret) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String unsigned() {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(valid().build().toString().getBytes(StandardCharsets.UTF_8)) + ".";
    }

    private static HttpResponse<String> authWithHeader(String authorization) throws Exception {
        return gateway.send(HttpRequest.newBuilder(java.net.URI.create(gateway.api("/auth")))
                .header("Authorization", authorization)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("socket_id=123.456&channel_name=private-org.5"))
                .build());
    }

    private static Map<String, Double> counts() throws Exception {
        Map<String, Double> counts = new LinkedHashMap<>();
        for (String reason : REASONS) {
            counts.put(reason, RequestLimitsIT.refused(gateway, reason));
        }
        return counts;
    }

    private static void assertMoved(Map<String, Double> before, Map<String, Integer> moves) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Map<String, Double> after = counts();
            for (String reason : REASONS) {
                assertThat(after.get(reason)).as(reason).isEqualTo(before.get(reason) + moves.getOrDefault(reason, 0));
            }
        });
    }

    @Test
    void theGatewayAcceptsTheValidToken() throws Exception {
        assertThat(gateway.auth(sign(valid(), JWT_SECRET), "private-org.5").statusCode())
                .isEqualTo(200);
    }

    @Test
    void anExpiredTokenIsCountedAsExpiredOnly() throws Exception {
        Map<String, Double> before = counts();
        String expired = sign(valid().expirationTime(Date.from(Instant.now().minusSeconds(120))), JWT_SECRET);
        assertThat(gateway.auth(expired, "private-org.5").statusCode()).isEqualTo(401);
        assertMoved(before, Map.of("token_expired", 1));
    }

    @Test
    void forgedAndUnsignedTokensAreCountedAsSignatureFailures() throws Exception {
        Map<String, Double> before = counts();
        String forged = sign(valid(), "a-forger-secret-that-is-at-least-32-bytes");
        String forgedAndExpired = sign(
                valid().expirationTime(Date.from(Instant.now().minusSeconds(120))),
                "a-forger-secret-that-is-at-least-32-bytes");
        assertThat(gateway.auth(forged, "private-org.5").statusCode()).isEqualTo(401);
        assertThat(gateway.auth(forgedAndExpired, "private-org.5").statusCode())
                .as("a forgery is a forgery, whatever its exp says")
                .isEqualTo(401);
        assertThat(gateway.auth(unsigned(), "private-org.5").statusCode()).isEqualTo(401);
        assertMoved(before, Map.of("token_signature", 3));
    }

    @Test
    void wellSignedTokensWithBadClaimsAreCountedAsClaimFailures() throws Exception {
        Map<String, Double> before = counts();
        List<String> tokens = List.of(
                sign(valid().audience("another-service"), JWT_SECRET),
                sign(valid().issuer("https://evil.example.com"), JWT_SECRET),
                sign(valid().subject(null), JWT_SECRET),
                sign(valid().expirationTime(null), JWT_SECRET),
                // expired and for another audience: not a stale tab of ours
                sign(
                        valid().audience("another-service")
                                .expirationTime(Date.from(Instant.now().minusSeconds(120))),
                        JWT_SECRET));
        for (String token : tokens) {
            assertThat(gateway.auth(token, "private-org.5").statusCode()).isEqualTo(401);
        }
        assertMoved(before, Map.of("token_claims", tokens.size()));
    }

    @Test
    void tokensThatAreNotJwtsAreCountedAsMalformed() throws Exception {
        Map<String, Double> before = counts();
        assertThat(gateway.auth("not.a.jwt", "private-org.5").statusCode()).isEqualTo(401);
        assertThat(gateway.auth("bm90IGEgand0", "private-org.5").statusCode()).isEqualTo(401);
        assertThat(authWithHeader("Bearer this is not a token").statusCode()).isEqualTo(401);
        assertMoved(before, Map.of("token_malformed", 3));
    }

    @Test
    void noTokenIsStillNoToken() throws Exception {
        Map<String, Double> before = counts();
        assertThat(gateway.auth(null, "private-org.5").statusCode()).isEqualTo(401);
        assertMoved(before, Map.of("no_token", 1));
    }

    @Test
    void theOldCatchAllReasonIsGone() throws Exception {
        gateway.auth("not.a.jwt", "private-org.5");
        String scrape =
                gateway.get(gateway.management("/actuator/prometheus"), null).body();
        assertThat(scrape).contains("switchboard_gateway_auth_refused_total").doesNotContain("invalid_token");
    }
}
