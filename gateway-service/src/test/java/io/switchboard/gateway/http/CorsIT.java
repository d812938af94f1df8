package io.switchboard.gateway.http;

import static io.switchboard.gateway.http.TestGateway.browserToken;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CORS for the auth endpoints ({@code SWITCHBOARD_CORS_ALLOWED_ORIGINS}): pusher-js on an allowed origin passes the
 * browser's preflight; any other origin is refused; with none configured no CORS header is ever sent.
 */
class CorsIT {

    private static final String APP = "https://app.example.com";
    private static TestGateway configured;
    private static TestGateway unconfigured;

    @BeforeAll
    static void start() {
        Map<String, String> env = new HashMap<>(TestGateway.jwtMode());
        env.put("SWITCHBOARD_CORS_ALLOWED_ORIGINS", APP + ", https://admin.example.com");
        configured = TestGateway.start(env);
        unconfigured = TestGateway.start(TestGateway.jwtMode());
    }

    @AfterAll
    static void stop() {
        for (TestGateway gateway : new TestGateway[] {configured, unconfigured}) {
            if (gateway != null) {
                gateway.close();
            }
        }
    }

    private static HttpResponse<String> preflight(TestGateway gateway, String path, String origin) throws Exception {
        return gateway.send(HttpRequest.newBuilder(java.net.URI.create(gateway.api(path)))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type")
                .build());
    }

    @Test
    void aPreflightFromAnAllowedOriginPasses() throws Exception {
        for (String path : new String[] {"/auth", "/user-auth"}) {
            HttpResponse<String> answer = preflight(configured, path, APP);
            assertThat(answer.statusCode()).as(path).isEqualTo(200);
            assertThat(answer.headers().firstValue("Access-Control-Allow-Origin"))
                    .hasValue(APP);
            assertThat(answer.headers()
                            .firstValue("Access-Control-Allow-Methods")
                            .orElseThrow())
                    .contains("POST");
            assertThat(answer.headers()
                            .firstValue("Access-Control-Allow-Headers")
                            .orElseThrow()
                            .toLowerCase())
                    .contains("authorization")
                    .contains("content-type");
            assertThat(answer.headers().firstValue("Access-Control-Allow-Credentials"))
                    .isEmpty();
        }
        HttpResponse<String> post =
                configured.send(TestGateway.request(configured.api("/auth"), browserToken("user-1", 5))
                        .header("Origin", APP)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("socket_id=123.456&channel_name=private-org.5"))
                        .build());
        assertThat(post.statusCode()).isEqualTo(200);
        assertThat(post.headers().firstValue("Access-Control-Allow-Origin")).hasValue(APP);
    }

    @Test
    void aPreflightFromAnotherOriginIsRefused() throws Exception {
        for (String origin : new String[] {"https://evil.example.com", "http://app.example.com", APP + ".evil.com"}) {
            HttpResponse<String> answer = preflight(configured, "/auth", origin);
            assertThat(answer.statusCode()).as(origin).isEqualTo(403);
            assertThat(answer.headers().firstValue("Access-Control-Allow-Origin"))
                    .isEmpty();
        }
    }

    @Test
    void withoutConfiguredOriginsNoCorsHeaderIsSent() throws Exception {
        HttpResponse<String> answer = preflight(unconfigured, "/auth", APP);
        assertThat(answer.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }
}
