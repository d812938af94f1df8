package io.switchboard.gateway.http;

import static io.switchboard.gateway.http.TestGateway.browserToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Security review, MED: with {@code SWITCHBOARD_FORWARD_HEADERS_STRATEGY=native}, Tomcat's default internal proxies
 * believed {@code X-Forwarded-For} from any private or loopback peer (in-cluster pods, SNAT'ed clients), so a client
 * could rotate its per-address rate-limit key at will. Now only {@code SWITCHBOARD_TRUSTED_PROXIES} is believed, and
 * native without it does not start. These tests connect from 127.0.0.1, a peer Tomcat's default list trusted.
 */
class ForwardedHeadersIT {

    private static TestGateway untrusted;
    private static TestGateway trusted;

    @BeforeAll
    static void start() {
        untrusted = TestGateway.start(behindProxies("10.0.0.0/8, fd00::/8")); // 127.0.0.1 is not among them
        trusted = TestGateway.start(behindProxies("192.0.2.10, 127.0.0.1")); // a lone address: its own /32
    }

    @AfterAll
    static void stop() {
        for (TestGateway gateway : new TestGateway[] {untrusted, trusted}) {
            if (gateway != null) {
                gateway.close();
            }
        }
    }

    private static Map<String, String> behindProxies(String proxies) {
        Map<String, String> env = new HashMap<>(TestGateway.jwtMode());
        env.put("SWITCHBOARD_FORWARD_HEADERS_STRATEGY", "native");
        env.put("SWITCHBOARD_TRUSTED_PROXIES", proxies);
        env.put("SWITCHBOARD_RATE_PER_ADDRESS", "3");
        env.put("SWITCHBOARD_RATE_PER_ADDRESS_PERIOD", "1h");
        return env;
    }

    private static HttpResponse<String> authFrom(TestGateway gateway, String forwardedFor) throws Exception {
        return gateway.send(TestGateway.request(gateway.api("/auth"), browserToken("user-1", 5))
                .header("X-Forwarded-For", forwardedFor)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("socket_id=123.456&channel_name=private-org.5"))
                .build());
    }

    @Test
    void aForgedXForwardedForFromAnUntrustedPeerDoesNotRotateTheRateLimitKey() throws Exception {
        double before = RequestLimitsIT.refused(untrusted, "rate_limited_address");
        for (int i = 1; i <= 3; i++) {
            assertThat(authFrom(untrusted, "203.0.113." + i).statusCode()).isEqualTo(200);
        }
        HttpResponse<String> fourth = authFrom(untrusted, "203.0.113.4");
        assertThat(fourth.statusCode())
                .as("a fourth forged address is still 127.0.0.1 to the limit")
                .isEqualTo(429);
        assertThat(fourth.headers().firstValue("Retry-After")).isPresent();
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(RequestLimitsIT.refused(untrusted, "rate_limited_address"))
                        .isEqualTo(before + 1));
    }

    @Test
    void xForwardedForFromATrustedProxyIsTheRateLimitKey() throws Exception {
        for (int i = 1; i <= 3; i++) {
            assertThat(authFrom(trusted, "198.51.100.7").statusCode()).isEqualTo(200);
        }
        assertThat(authFrom(trusted, "198.51.100.7").statusCode())
                .as("the forwarded client has used its budget")
                .isEqualTo(429);
        assertThat(authFrom(trusted, "198.51.100.8").statusCode())
                .as("another forwarded client has its own")
                .isEqualTo(200);
        // a client's own X-Forwarded-For comes first, the trusted proxy appends the address it saw: that one counts
        assertThat(authFrom(trusted, "203.0.113.99, 198.51.100.7").statusCode()).isEqualTo(429);
    }

    @Test
    void nativeWithoutTrustedProxiesStopsStartUpNamingBothSettings() {
        Map<String, String> env = new HashMap<>(TestGateway.jwtMode());
        env.put("SWITCHBOARD_FORWARD_HEADERS_STRATEGY", "native");
        assertThatThrownBy(() -> TestGateway.start(env))
                .hasStackTraceContaining("SWITCHBOARD_FORWARD_HEADERS_STRATEGY")
                .hasStackTraceContaining("SWITCHBOARD_TRUSTED_PROXIES");
    }

    @Test
    void theFrameworkStrategyWhichBelievesEveryPeerStopsStartUp() {
        Map<String, String> env = new HashMap<>(TestGateway.jwtMode());
        env.put("SWITCHBOARD_FORWARD_HEADERS_STRATEGY", "framework");
        env.put("SWITCHBOARD_TRUSTED_PROXIES", "10.0.0.1");
        assertThatThrownBy(() -> TestGateway.start(env))
                .hasStackTraceContaining("SWITCHBOARD_FORWARD_HEADERS_STRATEGY) is framework")
                .hasStackTraceContaining("SWITCHBOARD_TRUSTED_PROXIES");
    }

    @Test
    void trustedProxiesThatAreNotAddressesOrTrustEveryoneStopStartUp() {
        for (String proxies : new String[] {"lb.internal", "10.0.0.0/33", "0.0.0.0/0", "10.*"}) {
            Map<String, String> env = behindProxies(proxies);
            assertThatThrownBy(() -> TestGateway.start(env))
                    .as(proxies)
                    .hasStackTraceContaining("SWITCHBOARD_TRUSTED_PROXIES");
        }
    }
}
