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
    private static final String EVIL = "https://evil.example.com";
    private static TestGateway configured;
    private static TestGateway unconfigured;
    private static TestGateway limited;

    @BeforeAll
    static void start() {
        Map<String, String> env = new HashMap<>(TestGateway.jwtMode());
        env.put("SWITCHBOARD_CORS_ALLOWED_ORIGINS", APP + ", https://admin.example.com");
        configured = TestGateway.start(env);
        unconfigured = TestGateway.start(TestGateway.jwtMode());
        Map<String, String> limits = new HashMap<>(env);
        limits.put("SWITCHBOARD_RATE_PER_CALLER", "1");
        limits.put("SWITCHBOARD_RATE_PER_CALLER_PERIOD", "1h");
        limits.put("SWITCHBOARD_RATE_PER_ADDRESS", "4");
        limits.put("SWITCHBOARD_RATE_PER_ADDRESS_PERIOD", "1h");
        limited = TestGateway.start(limits);
    }

    @AfterAll
    static void stop() {
        for (TestGateway gateway : new TestGateway[] {configured, unconfigured, limited}) {
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

    private static HttpResponse<String> postFrom(TestGateway gateway, String origin, String bearer, String body)
            throws Exception {
        return gateway.send(TestGateway.request(gateway.api("/auth"), bearer)
                .header("Origin", origin)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    private static void assertReadableByTheBrowser(HttpResponse<String> answer, String origin) {
        assertThat(answer.headers().firstValue("Access-Control-Allow-Origin")).hasValue(origin);
        assertThat(answer.headers().allValues("Access-Control-Expose-Headers"))
                .anySatisfy(exposed -> assertThat(exposed.toLowerCase()).contains("retry-after"));
    }

    private static void assertNoCorsHeaders(HttpResponse<String> answer) {
        assertThat(answer.headers().map().keySet())
                .noneSatisfy(name -> assertThat(name.toLowerCase()).startsWith("access-control-"));
    }

    /**
     * Security review, LOW: a 413 was answered before Spring Security's CORS filter, so a cross-origin browser saw a
     * network error (status 0). Now it carries the CORS headers an allowed origin gets, and none for another origin.
     */
    @Test
    void a413CarriesCorsHeadersForAnAllowedOriginOnly() throws Exception {
        String big = "socket_id=123.456&channel_name=private-org.5&pad=" + "a".repeat(8 * 1024);
        HttpResponse<String> allowed = postFrom(configured, APP, browserToken("user-1", 5), big);
        assertThat(allowed.statusCode()).isEqualTo(413);
        assertReadableByTheBrowser(allowed, APP);
        HttpResponse<String> refused = postFrom(configured, EVIL, browserToken("user-1", 5), big);
        assertThat(refused.statusCode()).isEqualTo(413);
        assertNoCorsHeaders(refused);
    }

    /**
     * Security review, LOW: the per-address 429 was answered before Spring Security's CORS filter, so pusher-js could
     * read neither its status nor {@code Retry-After}. Now both 429s carry the CORS headers of an allowed origin with
     * {@code Retry-After} exposed, none for another origin, and a preflight (no token, no body) is not counted, so a
     * limited browser still learns why.
     */
    @Test
    void a429CarriesCorsHeadersAndExposesRetryAfterForAnAllowedOriginOnly() throws Exception {
        String body = "socket_id=123.456&channel_name=private-org.5";
        // address budget 4: 1 and 2 below (the caller's second is over its budget of 1), 3 and 4 the filler
        assertThat(postFrom(limited, APP, browserToken("cors-caller", 5), body).statusCode())
                .isEqualTo(200);
        HttpResponse<String> callerLimited = postFrom(limited, APP, browserToken("cors-caller", 5), body);
        assertThat(callerLimited.statusCode()).isEqualTo(429);
        assertThat(callerLimited.headers().firstValue("Retry-After")).isPresent();
        assertReadableByTheBrowser(callerLimited, APP);
        for (int i = 0; i < 2; i++) {
            postFrom(limited, APP, null, body);
        }
        HttpResponse<String> addressLimited = postFrom(limited, APP, browserToken("another-caller", 5), body);
        assertThat(addressLimited.statusCode()).isEqualTo(429);
        assertThat(addressLimited.body()).contains("from this address");
        assertThat(addressLimited.headers().firstValue("Retry-After")).isPresent();
        assertReadableByTheBrowser(addressLimited, APP);
        HttpResponse<String> fromElsewhere = postFrom(limited, EVIL, browserToken("another-caller", 5), body);
        assertThat(fromElsewhere.statusCode()).isEqualTo(429);
        assertNoCorsHeaders(fromElsewhere);
        HttpResponse<String> preflight = preflight(limited, "/auth", APP);
        assertThat(preflight.statusCode())
                .as("a preflight is not counted, so the browser gets to send the request and read the 429")
                .isEqualTo(200);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin"))
                .hasValue(APP);
    }
}
