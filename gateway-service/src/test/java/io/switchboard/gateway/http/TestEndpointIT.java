package io.switchboard.gateway.http;

import static io.switchboard.gateway.http.TestGateway.OPERATOR_TOKEN;
import static io.switchboard.gateway.http.TestGateway.browserToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.switchboard.testkit.PusherJsSubscriber;
import io.switchboard.testkit.Soketi;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Finding 5: the test endpoint wrote where callers can only read (any verified caller, and in deny mode anyone,
 * published any event name to public channels and to any channel it could read). Now it is off unless enabled, and
 * when enabled only the operator token reaches it; Pusher's reserved event names and names Pusher would refuse get
 * 400. Through the real filter chain, publishing to a real Soketi.
 */
class TestEndpointIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static TestGateway denyDefault;
    private static TestGateway denyEnabled;
    private static TestGateway jwtEnabled;

    @BeforeAll
    static void start() {
        Soketi.ensureRunning();
        denyDefault = TestGateway.start(Map.of());
        denyEnabled = TestGateway.start(
                Map.of("SWITCHBOARD_TEST_ENDPOINT", "1", "SWITCHBOARD_OPERATOR_TOKEN", OPERATOR_TOKEN));
        Map<String, String> jwt = new HashMap<>(TestGateway.jwtMode());
        jwt.put("SWITCHBOARD_TEST_ENDPOINT", "true");
        jwt.put("SWITCHBOARD_OPERATOR_TOKEN", OPERATOR_TOKEN);
        jwtEnabled = TestGateway.start(jwt);
    }

    @AfterAll
    static void stop() {
        for (TestGateway gateway : new TestGateway[] {denyDefault, denyEnabled, jwtEnabled}) {
            if (gateway != null) {
                gateway.close();
            }
        }
    }

    @Test
    void theTestEndpointIsOffUnlessEnabled() throws Exception {
        HttpResponse<String> answer = denyDefault.json("/test", null, "{\"channel\":\"news\"}");
        assertThat(answer.statusCode()).isEqualTo(404);
        assertThat(denyDefault
                        .json("/test", OPERATOR_TOKEN, "{\"channel\":\"news\"}")
                        .statusCode())
                .isEqualTo(404);
    }

    @Test
    void anonymousCallersInDenyModeCannotPublish() throws Exception {
        for (String body : new String[] {"{\"channel\":\"news\"}", "{}", "{\"channel\":\"private-global\"}"}) {
            HttpResponse<String> answer = denyEnabled.json("/test", null, body);
            assertThat(answer.statusCode()).as(body).isEqualTo(401);
            assertThat(answer.body()).doesNotContain("delivered");
        }
        assertThat(denyEnabled
                        .json("/test", "a-guessed-token-that-is-long-enough-to-look-real", "{\"channel\":\"news\"}")
                        .statusCode())
                .isEqualTo(401);
    }

    @Test
    void aVerifiedBrowserTokenCannotPublishToPrivateGlobalOrAPublicChannel() throws Exception {
        String browser = browserToken("user-7", 77);
        assertThat(jwtEnabled.auth(browser, "private-global").statusCode())
                .as("the token may read private-global")
                .isEqualTo(200);
        for (String channel : new String[] {"private-global", "news", "private-org.77"}) {
            HttpResponse<String> answer = jwtEnabled.json("/test", browser, "{\"channel\":\"" + channel + "\"}");
            assertThat(answer.statusCode()).as(channel).isEqualTo(401);
            assertThat(answer.body()).doesNotContain("delivered");
        }
    }

    @Test
    void pushersReservedEventNamesAndNamesPusherWouldRefuseGet400() throws Exception {
        Map<String, String> refused = Map.of(
                "{\"channel\":\"news\",\"event\":\"pusher:subscribe\"}",
                "reserved",
                "{\"channel\":\"news\",\"event\":\"pusher_internal:member_added\"}",
                "reserved",
                "{\"channel\":\"news\",\"event\":\"" + "e".repeat(201) + "\"}",
                "200 characters",
                "{\"channel\":\"private-" + "a".repeat(157) + "\"}",
                "164 characters",
                "{\"channel\":\"private-a b\"}",
                "A-Z a-z 0-9",
                "{\"channel\":\"news\",\"event\":\"\"}",
                "empty");
        for (Map.Entry<String, String> request : refused.entrySet()) {
            HttpResponse<String> answer = jwtEnabled.json("/test", OPERATOR_TOKEN, request.getKey());
            assertThat(answer.statusCode()).as(request.getKey()).isEqualTo(400);
            assertThat(JSON.readTree(answer.body()).get("error").asString()).contains(request.getValue());
        }
        assertThat(jwtEnabled
                        .json("/test", OPERATOR_TOKEN, "{\"channel\":\"news\",\"event\":\"" + "e".repeat(200) + "\"}")
                        .statusCode())
                .as("200 characters is Pusher's limit, not beyond it")
                .isEqualTo(200);
    }

    @Test
    void theOperatorTokenPublishesAnEventThatReachesARealSubscriber() throws Exception {
        String channel = "private-org.77";
        try (PusherJsSubscriber browser = PusherJsSubscriber.start(
                jwtEnabled.api("/auth"), List.of(channel), "Bearer " + browserToken("user-7", 77))) {
            browser.awaitSubscribed(List.of(channel), Duration.ofSeconds(20));
            HttpResponse<String> sent = jwtEnabled.json("/test", OPERATOR_TOKEN, "{\"channel\":\"" + channel + "\"}");
            assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
            assertThat(JSON.readTree(sent.body()).get("delivered").asBoolean()).isTrue();
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> !browser.events(channel).isEmpty());
            PusherJsSubscriber.Message event = browser.events(channel).get(0);
            assertThat(event.event()).isEqualTo("realtime.test");
            assertThat(event.data().get("message").asString()).isNotBlank();
            assertThat(Instant.parse(event.data().get("ts").asString())).isBefore(Instant.now());
        }
    }

    /** Soketi answers an oversized event with HTTP 200 and an error body: that is a refusal, and is reported so. */
    @Test
    void pushersRefusalIsReportedEvenWhenItComesWithStatus200() throws Exception {
        String payload = "{\"blob\":\"" + "x".repeat(12_000) + "\"}";
        HttpResponse<String> answer =
                jwtEnabled.json("/test", OPERATOR_TOKEN, "{\"channel\":\"news\",\"payload\":" + payload + "}");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(502);
        JsonNode body = JSON.readTree(answer.body());
        assertThat(body.get("delivered").asBoolean()).isFalse();
        assertThat(body.get("http_status").asInt()).isEqualTo(413);
    }

    @Test
    void enablingTheTestEndpointWithoutAnOperatorTokenStopsStartUp() {
        assertThatThrownBy(() -> TestGateway.start(Map.of("SWITCHBOARD_TEST_ENDPOINT", "1")))
                .hasStackTraceContaining("SWITCHBOARD_OPERATOR_TOKEN");
        String shortToken = "too-short-operator-token";
        assertThatThrownBy(() -> TestGateway.start(
                        Map.of("SWITCHBOARD_TEST_ENDPOINT", "1", "SWITCHBOARD_OPERATOR_TOKEN", shortToken)))
                .hasStackTraceContaining("at least 32 bytes")
                .satisfies(e -> assertThat(stackTrace(e)).doesNotContain(shortToken));
    }

    private static String stackTrace(Throwable e) {
        java.io.StringWriter out = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(out));
        return out.toString();
    }
}
