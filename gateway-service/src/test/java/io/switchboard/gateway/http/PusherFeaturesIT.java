package io.switchboard.gateway.http;

import static io.switchboard.gateway.http.TestGateway.browserToken;
import static io.switchboard.gateway.http.TestGateway.hmac;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testkit.Soketi;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What Pusher offers beyond channel auth, through the real filter chain: user authentication for
 * {@code pusher:signin} (jwt mode only), and encrypted channels refused clearly while no master key is set.
 */
class PusherFeaturesIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static TestGateway jwt;
    private static TestGateway deny;

    @BeforeAll
    static void start() {
        jwt = TestGateway.start(TestGateway.jwtMode());
        deny = TestGateway.start(Map.of());
    }

    @AfterAll
    static void stop() {
        for (TestGateway gateway : new TestGateway[] {jwt, deny}) {
            if (gateway != null) {
                gateway.close();
            }
        }
    }

    /**
     * Pusher's documented user authentication: {@code auth = key:HMAC-SHA256-hex(secret, socket_id::user::user_data)},
     * recomputed here from the answer's own user_data, which carries the token's sub and presence-info claims.
     */
    @Test
    void userAuthenticationSignsTheTokensUserAsPusherSpecifies() throws Exception {
        HttpResponse<String> form = jwt.form("/user-auth", browserToken("user-1", 5), "socket_id=123.456");
        HttpResponse<String> json = jwt.json("/user-auth", browserToken("user-1", 5), "{\"socket_id\":\"123.456\"}");
        for (HttpResponse<String> answer : new HttpResponse[] {form, json}) {
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            JsonNode body = JSON.readTree(answer.body());
            String userData = body.get("user_data").asString();
            JsonNode user = JSON.readTree(userData);
            assertThat(user.get("id").asString()).isEqualTo("user-1");
            assertThat(user.get("user_info").get("name").asString()).isEqualTo("Ada");
            assertThat(user.get("user_info").has("org_id"))
                    .as("only the presence-info claims")
                    .isFalse();
            assertThat(body.get("auth").asString()).isEqualTo(Soketi.KEY + ":" + hmac("123.456::user::" + userData));
        }
    }

    @Test
    void userAuthenticationNeedsAVerifiedTokenAndPushersSocketIdFormat() throws Exception {
        assertThat(jwt.form("/user-auth", null, "socket_id=123.456").statusCode())
                .isEqualTo(401);
        assertThat(jwt.form("/user-auth", "not.a.jwt", "socket_id=123.456").statusCode())
                .isEqualTo(401);
        for (String socketId : new String[] {"123", "abc.def", "123.456:private-org.5", "1.2.3", ""}) {
            HttpResponse<String> answer = jwt.form("/user-auth", browserToken("user-1", 5), "socket_id=" + socketId);
            assertThat(answer.statusCode()).as(socketId).isEqualTo(400);
            assertThat(answer.body()).doesNotContain("\"auth\"");
        }
    }

    @Test
    void userAuthenticationIsRefusedWhenTheModeHasNoUsers() throws Exception {
        HttpResponse<String> answer = deny.form("/user-auth", null, "socket_id=123.456");
        assertThat(answer.statusCode()).isEqualTo(403);
        assertThat(answer.body()).doesNotContain("\"auth\"");
        assertThat(deny.form("/user-auth", browserToken("user-1", 5), "socket_id=123.456")
                        .statusCode())
                .as("deny mode verifies no token: nobody to sign in as")
                .isEqualTo(403);
    }

    @Test
    void encryptedChannelsAreRefusedClearlyWithoutAMasterKey() throws Exception {
        HttpResponse<String> answer = jwt.auth(browserToken("user-1", 5), "private-encrypted-org.5");
        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(answer.body()).get("error").asString()).contains("encryption master key");
        assertThat(answer.body()).doesNotContain("\"auth\"");
    }
}
