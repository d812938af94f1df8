package io.switchboard.gateway.http;

import static io.switchboard.gateway.http.TestGateway.OPERATOR_TOKEN;
import static io.switchboard.gateway.http.TestGateway.hmac;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.switchboard.gateway.console.ConsoleFeed;
import io.switchboard.testkit.Soketi;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Who reaches the live console (issue 16): nobody by default; whoever connects on a loopback bind, as in
 * {@code ./switchboard dev}; only the operator beyond loopback. {@code SWITCHBOARD_CONSOLE_ACCESS=operator-token}
 * stands in for a bind beyond loopback here, since tests bind to 127.0.0.1 only (the decision on the address itself is
 * ConsolePropertiesTest's). Kafka is unreachable throughout: the console says so, and the gateway keeps signing.
 */
class ConsoleAccessIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static int closedPort;
    private static TestGateway off;
    private static TestGateway loopback;
    private static TestGateway operatorOnly;

    @BeforeAll
    static void start() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort(); // nothing listens there once the socket is closed
        }
        off = TestGateway.start(Map.of("SWITCHBOARD_AUTH_MODE", "names-only"));
        loopback = TestGateway.start(console(Map.of(
                "SWITCHBOARD_AUTH_MODE",
                "names-only",
                "SWITCHBOARD_CONSOLE_LIVE_CHANNELS",
                "private-global,private-org.5")));
        Map<String, String> env = new HashMap<>(Map.of("SWITCHBOARD_AUTH_MODE", "names-only"));
        env.put("SWITCHBOARD_CONSOLE_ACCESS", "operator-token");
        env.put("SWITCHBOARD_OPERATOR_TOKEN", OPERATOR_TOKEN);
        // browsers reach the Pusher-protocol server elsewhere than the gateway does, as in compose
        env.put("SWITCHBOARD_CONSOLE_WS_HOST", "localhost");
        env.put("SWITCHBOARD_CONSOLE_WS_PORT", "16001");
        operatorOnly = TestGateway.start(console(env));
    }

    /** The console on, its Kafka and the stages' metrics pointed at a port where nothing listens. */
    private static Map<String, String> console(Map<String, String> env) {
        Map<String, String> all = new HashMap<>(env);
        all.put("SWITCHBOARD_CONSOLE_ENABLED", "1");
        all.put("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + closedPort);
        for (String stage : new String[] {"RELAY", "ROUTER", "PUBLISHER"}) {
            all.put(
                    "SWITCHBOARD_CONSOLE_" + stage + "_METRICS",
                    "http://127.0.0.1:" + closedPort + "/actuator/prometheus");
        }
        return all;
    }

    @AfterAll
    static void stop() {
        for (TestGateway gateway : new TestGateway[] {off, loopback, operatorOnly}) {
            if (gateway != null) {
                gateway.close();
            }
        }
    }

    @Test
    void isOffByDefault() throws Exception {
        for (String path : new String[] {"/console", "/console/", "/console/console.js", "/console/api/state"}) {
            assertThat(off.get(off.publicUrl(path), null).statusCode()).as(path).isEqualTo(404);
        }
        assertThat(off.context().getBeansOfType(ConsoleFeed.class))
                .as("no console feed")
                .isEmpty();
    }

    @Test
    void onALoopbackBindWhoeverConnectsReadsIt() throws Exception {
        HttpResponse<String> page = loopback.get(loopback.publicUrl("/console/"), null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.body()).contains("<title>Switchboard console</title>", "src=\"pusher.min.js\"");
        assertThat(page.headers().firstValue("Content-Security-Policy"))
                .hasValueSatisfying(csp -> assertThat(csp)
                        .contains("script-src 'self'", "connect-src 'self' ws://127.0.0.1:* wss://127.0.0.1:*"));
        assertThat(loopback.get(loopback.publicUrl("/console"), null).statusCode())
                .as("redirected to /console/")
                .isEqualTo(302);
        assertThat(loopback.get(loopback.publicUrl("/console/console.js"), null).body())
                .contains("window.Pusher");

        HttpResponse<String> live = loopback.get(loopback.publicUrl("/console/api/live"), null);
        assertThat(live.statusCode()).isEqualTo(200);
        JsonNode view = JSON.readTree(live.body());
        assertThat(view.path("key").asString()).isEqualTo(Soketi.KEY);
        assertThat(view.path("wsPort").asInt()).isEqualTo(Soketi.port());
        assertThat(view.path("authEndpoint").asString()).isEqualTo("/api/realtime/pusher/auth");
        assertThat(view.path("channels").valueStream().map(JsonNode::asString))
                .containsExactly("private-global", "private-org.5");
        assertThat(live.body()).as("the app secret never reaches the page").doesNotContain(Soketi.SECRET);
    }

    /** Review of issue 16: DNS rebinding. A page whose name resolves to 127.0.0.1 still sends its name as Host. */
    @Test
    void openOnLoopbackOnlyForRequestsWhoseHostIsLoopback() throws Exception {
        int port = Integer.parseInt(loopback.context().getEnvironment().getProperty("local.server.port"));

        assertThat(rawGet(port, "/console/api/state", "rebound.example:" + port))
                .startsWith("HTTP/1.1 403")
                .contains("localhost, 127.0.0.1 or [::1] only");
        assertThat(rawGet(port, "/console/", "rebound.example:" + port)).startsWith("HTTP/1.1 403");
        assertThat(rawGet(port, "/console/api/state", "localhost:" + port)).startsWith("HTTP/1.1 200");
        assertThat(rawGet(port, "/console/api/state", "127.0.0.1:" + port)).startsWith("HTTP/1.1 200");
        assertThat(rawGet(port, "/api/realtime/pusher/auth", "rebound.example:" + port))
                .as("channel auth is not the console's to restrict")
                .doesNotStartWith("HTTP/1.1 403");
    }

    /** Review of issue 16: browsers are told where they connect, which in compose is not where the gateway calls. */
    @Test
    void thePageConnectsToTheConsolesWsHostAndPort() throws Exception {
        HttpResponse<String> live = operatorOnly.get(operatorOnly.publicUrl("/console/api/live"), OPERATOR_TOKEN);
        JsonNode view = JSON.readTree(live.body());
        assertThat(view.path("wsHost").asString()).isEqualTo("localhost");
        assertThat(view.path("wsPort").asInt()).isEqualTo(16001);
        assertThat(operatorOnly
                        .get(operatorOnly.publicUrl("/console/"), null)
                        .headers()
                        .firstValue("Content-Security-Policy"))
                .hasValueSatisfying(csp -> assertThat(csp)
                        .contains("connect-src 'self' ws://localhost:* wss://localhost:*;")
                        .doesNotContain("127.0.0.1"));
    }

    /** Review of issue 16: behind a proxy, a loopback bind no longer means "someone on this host". */
    @Test
    void onALoopbackBindBehindAProxyItNeedsTheOperatorToken() {
        Map<String, String> env = new HashMap<>(console(Map.of("SWITCHBOARD_AUTH_MODE", "names-only")));
        env.put("SWITCHBOARD_FORWARD_HEADERS_STRATEGY", "native");
        env.put("SWITCHBOARD_TRUSTED_PROXIES", "10.0.3.7");

        assertThatThrownBy(() -> TestGateway.start(env).close())
                .hasStackTraceContaining("on server.address 127.0.0.1 behind a proxy")
                .hasStackTraceContaining("needs switchboard.operator.token (SWITCHBOARD_OPERATOR_TOKEN)");
    }

    /** A GET with a Host of the test's choosing (HttpClient refuses to set Host itself); the status line and body. */
    private static String rawGet(int port, String path, String host) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream()
                    .write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void withKafkaUnreachableTheConsoleSaysSoAndTheGatewayKeepsSigning() throws Exception {
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> {
                    JsonNode state = JSON.readTree(loopback.get(loopback.publicUrl("/console/api/state"), null)
                            .body());
                    assertThat(state.path("feed").path("reading").asBoolean()).isFalse();
                    assertThat(state.path("feed").path("error").asString()).isNotBlank();
                    assertThat(state.path("stages").findValuesAsString("error"))
                            .hasSize(3)
                            .allSatisfy(error -> assertThat(error).contains("connection refused"));
                });

        HttpResponse<String> signed = loopback.auth(null, "private-audit-7");
        assertThat(signed.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(signed.body()).path("auth").asString())
                .isEqualTo(Soketi.KEY + ":" + hmac("123.456:private-audit-7"));
    }

    @Test
    void beyondLoopbackItsDataNeedsTheOperatorToken() throws Exception {
        assertThat(operatorOnly.get(operatorOnly.publicUrl("/console/"), null).statusCode())
                .as("the page itself holds no data; it asks for the token")
                .isEqualTo(200);
        for (String path : new String[] {
            "/console/api/state", "/console/api/feed?after=0", "/console/api/live", "/console/api/trace?eventId=e1"
        }) {
            HttpResponse<String> anonymous = operatorOnly.get(operatorOnly.publicUrl(path), null);
            assertThat(anonymous.statusCode()).as(path).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
            assertThat(operatorOnly
                            .get(operatorOnly.publicUrl(path), "not-the-operator-token")
                            .statusCode())
                    .as(path + " with another token")
                    .isEqualTo(401);
        }
        HttpResponse<String> operator = operatorOnly.get(operatorOnly.publicUrl("/console/api/state"), OPERATOR_TOKEN);
        assertThat(operator.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(operator.body()).path("stages")).hasSize(3);
    }

    @Test
    void enabledBeyondLoopbackWithoutAnOperatorTokenTheGatewayDoesNotStart() {
        Map<String, String> env = new HashMap<>(console(Map.of("SWITCHBOARD_AUTH_MODE", "names-only")));
        env.put("SWITCHBOARD_CONSOLE_ACCESS", "operator-token");

        assertThatThrownBy(() -> TestGateway.start(env).close())
                .hasStackTraceContaining("SWITCHBOARD_CONSOLE_ENABLED")
                .hasStackTraceContaining("needs switchboard.operator.token (SWITCHBOARD_OPERATOR_TOKEN)");
    }
}
