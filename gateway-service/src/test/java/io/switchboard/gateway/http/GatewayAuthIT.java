package io.switchboard.gateway.http;

import static io.switchboard.gateway.http.TestGateway.JWT_SECRET;
import static io.switchboard.gateway.http.TestGateway.browserToken;
import static io.switchboard.gateway.http.TestGateway.hmac;
import static io.switchboard.gateway.http.TestGateway.token;
import static org.assertj.core.api.Assertions.assertThat;

import com.pusher.rest.crypto.CryptoUtil;
import io.switchboard.testkit.Soketi;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The channel auth endpoint in jwt mode, through the real filter chain: the default channel policy plus an encrypted
 * channel rule, signing as Pusher specifies; encrypted channels with the master key; every forged request refused.
 */
class GatewayAuthIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String MASTER_KEY = masterKey();
    private static TestGateway gateway;

    @BeforeAll
    static void start() {
        Soketi.ensureRunning();
        Map<String, String> env = new HashMap<>(TestGateway.jwtMode());
        env.put("PUSHER_ENCRYPTION_MASTER_KEY_BASE64", MASTER_KEY);
        gateway = TestGateway.start(
                env,
                "--switchboard.auth.rules[0].channel=private-org.{org_id}",
                "--switchboard.auth.rules[0].claims.org_id=org_id",
                "--switchboard.auth.rules[1].channel=presence-org.{org_id}",
                "--switchboard.auth.rules[1].claims.org_id=org_id",
                "--switchboard.auth.rules[2].channel=private-job-status.{userId}",
                "--switchboard.auth.rules[2].claims.userId=sub",
                "--switchboard.auth.rules[3].channel=private-encrypted-org.{org_id}",
                "--switchboard.auth.rules[3].claims.org_id=org_id");
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void aCallerGetsItsOwnTenantsChannelSignedAsPusherSpecifies() throws Exception {
        HttpResponse<String> answer = gateway.auth(browserToken("user-1", 5), "private-org.5");
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(answer.body()).get("auth").asString())
                .isEqualTo(Soketi.KEY + ":" + hmac("123.456:private-org.5"));
        assertThat(gateway.auth(browserToken("user-1", 5), "private-job-status.user-1")
                        .statusCode())
                .isEqualTo(200);
        HttpResponse<String> json = gateway.json(
                "/auth", browserToken("user-1", 5), "{\"socket_id\":\"123.456\",\"channel_name\":\"private-org.5\"}");
        assertThat(json.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(json.body()).get("auth").asString())
                .isEqualTo(Soketi.KEY + ":" + hmac("123.456:private-org.5"));
    }

    @Test
    void presenceMembersAreTheTokensSubject() throws Exception {
        HttpResponse<String> answer = gateway.auth(browserToken("user-1", 5), "presence-org.5");
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
                gateway.auth(null, "private-org.5"), // no token
                gateway.auth(
                        token(
                                "another-secret-that-is-also-32-bytes-long",
                                "user-1",
                                Map.of("org_id", 5),
                                Instant.now().plusSeconds(600)),
                        "private-org.5"), // forged
                gateway.auth(
                        token(
                                JWT_SECRET,
                                "user-1",
                                Map.of("org_id", 5),
                                Instant.now().minusSeconds(120)),
                        "private-org.5"), // expired
                gateway.auth(browserToken("user-1", 5), "private-org.6"), // another tenant
                gateway.auth(browserToken("user-1", 5), "private-job-status.user-2"), // another user
                gateway.auth(browserToken("user-1", 5), "private-audit-A"), // no rule grants it
                gateway.auth(browserToken("user-1", 5), "private-encrypted-org.6"), // another tenant, encrypted
                gateway.auth("not.a.jwt", "private-org.5"), // malformed
                gateway.auth(unsigned(), "private-org.5")); // alg none
        assertThat(refused).allSatisfy(r -> {
            assertThat(r.statusCode()).isIn(401, 403);
            assertThat(r.body()).doesNotContain("\"auth\"").doesNotContain("shared_secret");
        });
        assertThat(refused.get(1).statusCode()).isEqualTo(401);
        assertThat(refused.get(2).statusCode()).isEqualTo(401);
        assertThat(refused.get(3).statusCode()).isEqualTo(403);
        assertThat(refused.get(6).statusCode()).isEqualTo(403);
    }

    /** Encrypted channels: the answer carries the channel's shared secret, derived as pusher-http-java does. */
    @Test
    void encryptedChannelsAreSignedWithTheirSharedSecretWhenTheMasterKeyIsSet() throws Exception {
        String channel = "private-encrypted-org.5";
        HttpResponse<String> answer = gateway.auth(browserToken("user-1", 5), channel);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(answer.body());
        assertThat(body.get("auth").asString()).isEqualTo(Soketi.KEY + ":" + hmac("123.456:" + channel));
        String sharedSecret = body.get("shared_secret").asString();
        assertThat(sharedSecret).isEqualTo(new CryptoUtil(MASTER_KEY).generateBase64EncodedSharedSecret(channel));
        // and as Pusher documents it: base64(SHA-256(channel name, then the master key's bytes))
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        sha256.update(channel.getBytes(StandardCharsets.UTF_8));
        sha256.update(Base64.getDecoder().decode(MASTER_KEY));
        assertThat(Base64.getDecoder().decode(sharedSecret)).isEqualTo(sha256.digest());
    }

    private static String unsigned() {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));
        String body = b64.encodeToString(
                ("{\"sub\":\"user-1\",\"org_id\":5,\"exp\":" + (Instant.now().getEpochSecond() + 600) + "}")
                        .getBytes(StandardCharsets.UTF_8));
        return header + "." + body + ".";
    }

    private static String masterKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
