package io.switchboard.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.switchboard.gateway.GatewayApplication;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, finding 3 (and the JWKS part of 6): the token rules, against the real gateway over HTTP. One gateway
 * verifies HS256 tokens and requires the audience {@code switchboard} (SWITCHBOARD_JWT_AUDIENCE); another verifies
 * RS256 tokens against a JWKS served on 127.0.0.1.
 */
class TokenRulesIT {

    private static final String AUDIENCE = "switchboard";

    private static OwnerStub owner;
    private static GatewayUnderTest gateway;
    private static HttpServer jwksServer;
    private static final AtomicInteger jwksFetches = new AtomicInteger();
    private static RSAKey issuerKey;
    private static GatewayUnderTest jwksGateway;

    @BeforeAll
    static void start() throws Exception {
        owner = new OwnerStub((call, exchange) -> OwnerStub.json(exchange, 200, "{\"allow\": true}"));
        gateway = GatewayUnderTest.start(
                "--switchboard.auth.jwt.audience=" + AUDIENCE,
                "--switchboard.auth.rules[0].channel=private-org.{org_id}",
                "--switchboard.auth.rules[0].claims.org_id=org_id",
                "--switchboard.auth.rules[1].channel=presence-org.{org_id}",
                "--switchboard.auth.rules[1].claims.org_id=org_id",
                "--switchboard.auth.rules[2].channel=private-room.{room}",
                "--switchboard.auth.rules[2].authorizer=" + owner.url());

        issuerKey = new RSAKeyGenerator(2048).keyID("k1").generate();
        String jwks = new JWKSet(issuerKey.toPublicJWK()).toString();
        jwksServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        jwksServer.createContext("/jwks", exchange -> {
            jwksFetches.incrementAndGet();
            OwnerStub.json(exchange, 200, jwks);
            exchange.close();
        });
        jwksServer.start();
        jwksGateway = GatewayUnderTest.start(
                "--switchboard.auth.jwt.hs256-secret=",
                "--switchboard.auth.jwt.jwks-url=http://127.0.0.1:"
                        + jwksServer.getAddress().getPort() + "/jwks",
                "--switchboard.auth.rules[0].channel=private-org.{org_id}",
                "--switchboard.auth.rules[0].claims.org_id=org_id");
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable closeable : new AutoCloseable[] {gateway, jwksGateway, owner}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                // keep closing the others
            }
        }
        if (jwksServer != null) {
            jwksServer.stop(0);
        }
    }

    private static JWTClaimsSet.Builder valid() {
        return TestTokens.valid("user-1", 1).audience(AUDIENCE);
    }

    @Test
    void aTokenThatKeepsEveryRuleIsSigned() throws Exception {
        assertThat(gateway.auth(TestTokens.sign(valid()), "private-org.1").statusCode())
                .isEqualTo(200);
    }

    @Test
    void tokenWithoutExpIsRefused() throws Exception {
        HttpResponse<String> answer = gateway.auth(TestTokens.sign(valid().expirationTime(null)), "private-org.1");
        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(answer.body()).doesNotContain("\"auth\"");
    }

    @Test
    void tokenForAnotherAudienceIsRefused() throws Exception {
        assertThat(gateway.auth(TestTokens.sign(valid().audience("another-app")), "private-org.1")
                        .statusCode())
                .isEqualTo(401);
        assertThat(gateway.auth(TestTokens.sign(valid().audience((String) null)), "private-org.1")
                        .statusCode())
                .as("no aud at all")
                .isEqualTo(401);
        assertThat(gateway.auth(TestTokens.sign(valid().audience(List.of("another-app", AUDIENCE))), "private-org.1")
                        .statusCode())
                .as("aud contains the audience")
                .isEqualTo(200);
    }

    @Test
    void tokenExpired31SecondsAgoIsRefusedWithTheDefaultSkew() throws Exception {
        assertThat(gateway.auth(
                                TestTokens.sign(valid().expirationTime(
                                                Date.from(Instant.now().minusSeconds(31)))),
                                "private-org.1")
                        .statusCode())
                .isEqualTo(401);
        assertThat(gateway.auth(
                                TestTokens.sign(valid().expirationTime(
                                                Date.from(Instant.now().minusSeconds(20)))),
                                "private-org.1")
                        .statusCode())
                .as("within the default 30 s skew")
                .isEqualTo(200);
    }

    @Test
    void tokenWithEmptySubIsRefused() throws Exception {
        for (String sub : List.of("", " ")) {
            for (String channel : List.of("private-org.1", "presence-org.1")) {
                HttpResponse<String> answer = gateway.auth(TestTokens.sign(valid().subject(sub)), channel);
                assertThat(answer.statusCode())
                        .as("sub '" + sub + "', " + channel)
                        .isEqualTo(401);
            }
        }
    }

    @Test
    void tokenWithoutSubIsRefused() throws Exception {
        String noSub = TestTokens.sign(valid().subject(null));
        assertThat(gateway.auth(noSub, "private-org.1").statusCode()).isEqualTo(401);
        assertThat(gateway.auth(noSub, "presence-org.1").statusCode()).isEqualTo(401);
    }

    @Test
    void anOwnerRuleWithATokenLackingSubIsRefusedNotAnError() throws Exception {
        HttpResponse<String> answer = gateway.auth(TestTokens.sign(valid().subject(null)), "private-room.a");
        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(owner.calls()).isEmpty();
    }

    @Test
    void unknownKidsCauseAtMostAHandfulOfJwksFetches() throws Exception {
        String known = rs256(issuerKey, "k1");
        assertThat(jwksGateway.auth(known, "private-org.1").statusCode()).isEqualTo(200);
        RSAKey forger = new RSAKeyGenerator(2048).generate();
        for (int i = 0; i < 200; i++) {
            assertThat(jwksGateway
                            .auth(rs256(forger, "forged-" + i), "private-org.1")
                            .statusCode())
                    .isEqualTo(401);
        }
        // one fetch to start, then at most two refetches per jwks-refetch-interval (30 s by default)
        assertThat(jwksFetches.get()).isBetween(1, 5);
        assertThat(jwksGateway.auth(known, "private-org.1").statusCode()).isEqualTo(200);
    }

    // security review of issue 14, item 2

    @Test
    void aPlainHttpJwksUrlOffLoopbackStopsStartUp() {
        Throwable[] failure = new Throwable[1];
        assertThatThrownBy(() -> GatewayApplication.builder()
                        .run(GatewayUnderTest.args(
                                "--switchboard.auth.jwt.hs256-secret=",
                                "--switchboard.auth.jwt.jwks-url=http://idp.internal/jwks",
                                "--switchboard.auth.jwt.audience=" + AUDIENCE))
                        .close())
                .satisfies(e -> failure[0] = e);
        Throwable root = failure[0];
        while (root.getCause() != null) {
            root = root.getCause();
        }
        assertThat(root.getMessage())
                .contains("switchboard.auth.jwt.jwks-url (SWITCHBOARD_JWT_JWKS_URL)")
                .contains("plain http to idp.internal")
                .contains("SWITCHBOARD_JWT_JWKS_ALLOW_HTTP");
    }

    private static String rs256(RSAKey key, String kid) throws Exception {
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).build(),
                TestTokens.valid("user-1", 1).build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }
}
