package io.switchboard.gateway.http;

import static io.switchboard.gateway.http.RequestLimitsIT.refused;
import static io.switchboard.gateway.http.TestGateway.OPERATOR_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Security review, LOW: the refusal counter's endpoint tag and the body limit's choice read the raw URI, so
 * {@code /api/realtime/pusher/%61uth}, which the container and Spring route to {@code /auth}, was counted as
 * {@code endpoint="other"}, and {@code /%74est} got the auth endpoint's body limit instead of the test endpoint's. Both
 * now read the decoded path without path parameters, as the routing does.
 */
class EncodedPathIT {

    private static TestGateway gateway;

    @BeforeAll
    static void start() {
        Map<String, String> env = new HashMap<>(TestGateway.jwtMode());
        env.put("SWITCHBOARD_TEST_ENDPOINT", "1");
        env.put("SWITCHBOARD_OPERATOR_TOKEN", OPERATOR_TOKEN);
        gateway = TestGateway.start(env);
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private static HttpResponse<String> post(String rawPath, String bearer, String contentType, String body)
            throws Exception {
        return gateway.send(TestGateway.request(gateway.publicUrl(rawPath), bearer)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    @Test
    void anEncodedAuthPathReachesAuthAndIsCountedAsAuth() throws Exception {
        assertThat(URI.create(gateway.publicUrl("/api/realtime/pusher/%61uth")).getRawPath())
                .as("the request line carries the escape")
                .endsWith("/%61uth");
        double atAuth = refused(gateway, "auth", "token_malformed");
        double atOther = refused(gateway, "other", "token_malformed");
        HttpResponse<String> answer = post(
                "/api/realtime/pusher/%61uth",
                "not.a.jwt", "application/x-www-form-urlencoded", "socket_id=123.456&channel_name=private-org.5");
        assertThat(answer.statusCode()).as("the bearer check of /auth ran").isEqualTo(401);
        HttpResponse<String> signed = post(
                "/api/realtime/pusher/%61uth",
                TestGateway.browserToken("user-1", 5),
                "application/x-www-form-urlencoded",
                "socket_id=123.456&channel_name=private-org.5");
        assertThat(signed.statusCode()).as("it is /auth").isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(refused(gateway, "auth", "token_malformed")).isEqualTo(atAuth + 1);
            assertThat(refused(gateway, "other", "token_malformed")).isEqualTo(atOther);
        });
    }

    @Test
    void anEncodedAuthPathGetsTheAuthBodyLimitAndIsCountedAsAuth() throws Exception {
        double before = refused(gateway, "auth", "body_too_large");
        String big = "socket_id=123.456&channel_name=private-org.5&pad=" + "a".repeat(8 * 1024);
        HttpResponse<String> answer = post(
                "/api/realtime/pusher/%61uth",
                TestGateway.browserToken("user-1", 5), "application/x-www-form-urlencoded", big);
        assertThat(answer.statusCode()).isEqualTo(413);
        assertThat(answer.body()).contains("larger than 4096 bytes");
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() ->
                        assertThat(refused(gateway, "auth", "body_too_large")).isEqualTo(before + 1));
    }

    /** 8 KB: over the auth limit (4 KB), within the test endpoint's (32 KB). */
    @Test
    void anEncodedTestPathGetsTheTestEndpointsBodyLimit() throws Exception {
        double before = refused(gateway, "test", "event_name_invalid");
        String body = "{\"event\":\"pusher:reserved\",\"payload\":{\"pad\":\"" + "a".repeat(8 * 1024) + "\"}}";
        HttpResponse<String> answer = post("/api/realtime/pusher/%74est", OPERATOR_TOKEN, "application/json", body);
        assertThat(answer.statusCode())
                .as("the test endpoint read it and refused the event name, not its size: " + answer.body())
                .isEqualTo(400);
        assertThat(answer.body()).contains("reserved by Pusher");
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(refused(gateway, "test", "event_name_invalid"))
                        .isEqualTo(before + 1));
    }
}
