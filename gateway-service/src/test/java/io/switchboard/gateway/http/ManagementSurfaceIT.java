package io.switchboard.gateway.http;

import static io.switchboard.gateway.http.TestGateway.OPERATOR_TOKEN;
import static io.switchboard.gateway.http.TestGateway.browserToken;
import static io.switchboard.gateway.http.TestGateway.hmac;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.testkit.Soketi;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Finding 8: Actuator health details and Prometheus were open in every mode, on the public port (public with
 * {@code SWITCHBOARD_BIND_ADDRESS=0.0.0.0}); channel names over Pusher's 164 characters were signed. Now Actuator
 * lives on the management port only, its health status is open for probes and everything else needs an operator;
 * the auth endpoint refuses long names with 400.
 */
class ManagementSurfaceIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static TestGateway loopbackOpen;
    private static TestGateway tokenRequired;

    @BeforeAll
    static void start() {
        loopbackOpen = TestGateway.start(Map.of("SWITCHBOARD_AUTH_MODE", "names-only"));
        Map<String, String> env = new HashMap<>(TestGateway.jwtMode());
        env.put("SWITCHBOARD_MANAGEMENT_ACCESS", "operator-token");
        env.put("SWITCHBOARD_OPERATOR_TOKEN", OPERATOR_TOKEN);
        tokenRequired = TestGateway.start(env);
    }

    @AfterAll
    static void stop() {
        for (TestGateway gateway : new TestGateway[] {loopbackOpen, tokenRequired}) {
            if (gateway != null) {
                gateway.close();
            }
        }
    }

    @Test
    void thePublicPortServesNoActuator() throws Exception {
        for (TestGateway gateway : new TestGateway[] {loopbackOpen, tokenRequired}) {
            for (String path : new String[] {
                "/actuator", "/actuator/health", "/actuator/prometheus", "/actuator/metrics", "/actuator/env"
            }) {
                for (String bearer : new String[] {null, OPERATOR_TOKEN}) {
                    HttpResponse<String> answer = gateway.get(gateway.publicUrl(path), bearer);
                    assertThat(answer.statusCode()).as(path).isEqualTo(404);
                    assertThat(answer.body()).doesNotContain("UP").doesNotContain("jvm_");
                }
            }
            assertThat(gateway.get(gateway.management("/actuator/health"), null).statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void healthStatusIsOpenForProbes() throws Exception {
        for (String path :
                new String[] {"/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness"}) {
            HttpResponse<String> answer = tokenRequired.get(tokenRequired.management(path), null);
            assertThat(answer.statusCode()).as(path).isEqualTo(200);
            JsonNode body = JSON.readTree(answer.body());
            assertThat(body.get("status").asString()).isEqualTo("UP");
            assertThat(body.has("components"))
                    .as("no details for anonymous probes")
                    .isFalse();
            assertThat(body.has("details")).isFalse();
        }
    }

    @Test
    void healthDetailsAndMetricsNeedTheOperatorToken() throws Exception {
        for (String path : new String[] {"/actuator/prometheus", "/actuator/metrics", "/actuator/info", "/actuator"}) {
            assertThat(tokenRequired.get(tokenRequired.management(path), null).statusCode())
                    .as(path + " anonymous")
                    .isEqualTo(401);
            assertThat(tokenRequired
                            .get(tokenRequired.management(path), browserToken("user-1", 5))
                            .statusCode())
                    .as(path + " with a browser's valid token")
                    .isEqualTo(401);
            assertThat(tokenRequired
                            .get(tokenRequired.management(path), OPERATOR_TOKEN)
                            .statusCode())
                    .as(path + " with the operator token")
                    .isEqualTo(200);
        }
        assertThat(tokenRequired
                        .get(tokenRequired.management("/actuator/prometheus"), OPERATOR_TOKEN)
                        .body())
                .contains("jvm_memory_used_bytes");
        JsonNode health = JSON.readTree(tokenRequired
                .get(tokenRequired.management("/actuator/health"), OPERATOR_TOKEN)
                .body());
        assertThat(health.has("components")).as("operators see the details").isTrue();
    }

    @Test
    void onALoopbackManagementAddressWhoeverConnectsIsAnOperator() throws Exception {
        assertThat(loopbackOpen
                        .get(loopbackOpen.management("/actuator/prometheus"), null)
                        .statusCode())
                .isEqualTo(200);
        JsonNode health = JSON.readTree(loopbackOpen
                .get(loopbackOpen.management("/actuator/health"), null)
                .body());
        assertThat(health.has("components")).isTrue();
    }

    @Test
    void channelNamesOverPushers164CharactersAreRefused() throws Exception {
        String longest = "private-" + "a".repeat(156);
        assertThat(longest).hasSize(164);
        HttpResponse<String> signed = loopbackOpen.auth(null, longest);
        assertThat(signed.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(signed.body()).get("auth").asString())
                .isEqualTo(Soketi.KEY + ":" + hmac("123.456:" + longest));
        HttpResponse<String> refused = loopbackOpen.auth(null, longest + "a");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("164").doesNotContain("\"auth\"");
        assertThat(tokenRequired
                        .auth(browserToken("user-1", 5), "private-org." + "5".repeat(153))
                        .statusCode())
                .as("jwt mode too, before the policy is asked")
                .isEqualTo(400);
    }

    @Test
    void theManagementPortMustDifferFromThePublicPort() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        int same = port;
        assertThatThrownBy(() -> TestGateway.start(
                        Map.of(
                                "GATEWAY_PORT",
                                Integer.toString(same),
                                "GATEWAY_MANAGEMENT_PORT",
                                Integer.toString(same)),
                        "--server.port=" + same,
                        "--management.server.port=" + same))
                .hasStackTraceContaining("GATEWAY_MANAGEMENT_PORT");
    }
}
