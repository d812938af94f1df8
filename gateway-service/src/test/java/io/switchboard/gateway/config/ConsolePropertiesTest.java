package io.switchboard.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.gateway.config.ManagementAccessProperties.Access;
import io.switchboard.gateway.console.Stage;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsolePropertiesTest {

    private static final ConsoleProperties.Metrics METRICS = new ConsoleProperties.Metrics(
            URI.create("http://127.0.0.1:8083/actuator/prometheus"),
            URI.create("http://127.0.0.1:8081/actuator/prometheus"),
            URI.create("http://127.0.0.1:8082/actuator/prometheus"),
            Duration.ofSeconds(5));

    @Test
    void isOpenOnlyOnALoopbackBindWithAccessAuto() {
        ConsoleProperties auto = properties(Access.AUTO, Map.of());

        assertThat(auto.openWithoutToken("127.0.0.1", false)).isTrue();
        assertThat(auto.openWithoutToken("::1", false)).isTrue();
        assertThat(auto.openWithoutToken("localhost", false)).isTrue();
        assertThat(auto.openWithoutToken("0.0.0.0", false)).isFalse();
        assertThat(auto.openWithoutToken("10.0.0.7", false)).isFalse();
        assertThat(auto.openWithoutToken(null, false))
                .as("unset: every interface")
                .isFalse();
        assertThat(auto.openWithoutToken("gateway.internal", false))
                .as("a name is never resolved")
                .isFalse();
        assertThat(properties(Access.OPERATOR_TOKEN, Map.of()).openWithoutToken("127.0.0.1", false))
                .isFalse();
    }

    /** Review of issue 16: a reverse proxy on the host forwards the world to a loopback bind. */
    @Test
    void isNotOpenOnALoopbackBindBehindAProxy() {
        assertThat(properties(Access.AUTO, Map.of()).openWithoutToken("127.0.0.1", true))
                .isFalse();
    }

    /**
     * Review of issue 16: in compose the gateway calls Soketi as {@code soketi}, a name no browser resolves; the page
     * and its Content-Security-Policy must name where browsers connect instead.
     */
    @Test
    void theBrowsersWebSocketIsWsHostAndWsPortWhenSetAndThePusherHostOtherwise() {
        PusherProperties pusher = new PusherProperties("1", "key", "secret", "mt1", "soketi", 6001, "http", null);
        ConsoleProperties compose = properties(Access.AUTO, Map.of(), "127.0.0.1", 16001);
        ConsoleProperties unset = properties(Access.AUTO, Map.of());

        assertThat(new ConsoleConfig().consoleLiveView(compose, pusher))
                .extracting(l -> l.wsHost(), l -> l.wsPort())
                .containsExactly("127.0.0.1", 16001);
        assertThat(SecurityConfig.consolePolicy(compose, pusher))
                .contains("connect-src 'self' ws://127.0.0.1:* wss://127.0.0.1:*;")
                .doesNotContain("soketi");
        assertThat(new ConsoleConfig().consoleLiveView(unset, pusher))
                .extracting(l -> l.wsHost(), l -> l.wsPort())
                .containsExactly("soketi", 6001);
        assertThat(SecurityConfig.consolePolicy(unset, pusher)).contains("ws://soketi:* wss://soketi:*;");
        assertThat(new ConsoleConfig().consoleLiveView(properties(Access.AUTO, Map.of(), "localhost", null), pusher))
                .as("each falls back on its own")
                .extracting(l -> l.wsHost(), l -> l.wsPort())
                .containsExactly("localhost", 6001);
        PusherProperties cloud = new PusherProperties("1", "key", "secret", "eu", null, null, "https", null);
        assertThat(new ConsoleConfig().consoleLiveView(unset, cloud).wsHost())
                .as("Pusher's own cluster")
                .isNull();
        assertThat(SecurityConfig.consolePolicy(unset, cloud)).contains("wss://ws-eu.pusher.com:*");
    }

    @Test
    void refusesAWsHostThatIsNotAHostAndAWsPortOutOfRange() {
        for (String bad : new String[] {"http://127.0.0.1", "127.0.0.1:6001", "a b", "x; script-src *", "h/path"}) {
            assertThatThrownBy(() -> properties(Access.AUTO, Map.of(), bad, null))
                    .as(bad)
                    .hasMessageContaining("switchboard.console.ws-host (SWITCHBOARD_CONSOLE_WS_HOST)");
        }
        assertThat(properties(Access.AUTO, Map.of(), "[::1]", null).wsHost()).isEqualTo("[::1]");
        assertThatThrownBy(() -> properties(Access.AUTO, Map.of(), null, 70000))
                .hasMessageContaining("switchboard.console.ws-port (SWITCHBOARD_CONSOLE_WS_PORT)");
    }

    @Test
    void refusesACapacityOrATraceWindowOutOfBoundsNamingTheSetting() {
        assertThatThrownBy(() -> new ConsoleProperties(
                        true,
                        Access.AUTO,
                        "k:9092",
                        null,
                        null,
                        topics(),
                        METRICS,
                        5,
                        List.of(),
                        Duration.ofHours(2),
                        null,
                        null))
                .hasMessageContaining("switchboard.console.capacity");
        assertThatThrownBy(() -> new ConsoleProperties(
                        true,
                        Access.AUTO,
                        "k:9092",
                        null,
                        null,
                        topics(),
                        METRICS,
                        200,
                        List.of(),
                        Duration.ZERO,
                        null,
                        null))
                .hasMessageContaining("switchboard.console.trace-window");
    }

    @Test
    void refusesAScrapeUrlThatIsNotHttpOrCarriesCredentials() {
        URI ok = URI.create("http://127.0.0.1:8081/actuator/prometheus");
        assertThatThrownBy(() ->
                        new ConsoleProperties.Metrics(URI.create("file:///etc/passwd"), ok, ok, Duration.ofSeconds(5)))
                .hasMessageContaining("switchboard.console.metrics");
        assertThatThrownBy(() -> new ConsoleProperties.Metrics(
                        URI.create("http://user:pw@127.0.0.1:8083/actuator/prometheus"), ok, ok, Duration.ofSeconds(5)))
                .hasMessageContaining("without credentials")
                .hasMessageNotContaining("pw@");
    }

    @Test
    void theExtraKafkaPropertiesReachTheConsumerButNeverItsText() {
        ConsoleProperties properties =
                properties(Access.AUTO, Map.of("sasl.jaas.config", "org.apache.kafka...password=\"s3cret\";"));

        assertThat(ConsoleConfig.consumerConfig(properties))
                .containsEntry("sasl.jaas.config", "org.apache.kafka...password=\"s3cret\";")
                .containsEntry("bootstrap.servers", "k:9092")
                .containsEntry("enable.auto.commit", false);
        assertThat(properties.toString()).contains("sasl.jaas.config").doesNotContain("s3cret");
    }

    @Test
    void namesEachStagesScrapeUrl() {
        assertThat(METRICS.byStage())
                .containsEntry(Stage.RELAY, URI.create("http://127.0.0.1:8083/actuator/prometheus"))
                .containsEntry(Stage.PUBLISHER, URI.create("http://127.0.0.1:8082/actuator/prometheus"));
    }

    private static ConsoleProperties properties(Access access, Map<String, String> kafka) {
        return properties(access, kafka, null, null);
    }

    private static ConsoleProperties properties(
            Access access, Map<String, String> kafka, String wsHost, Integer wsPort) {
        return new ConsoleProperties(
                true,
                access,
                "k:9092",
                kafka,
                null,
                topics(),
                METRICS,
                200,
                List.of(),
                Duration.ofHours(2),
                wsHost,
                wsPort);
    }

    private static ConsoleProperties.Topics topics() {
        return new ConsoleProperties.Topics("realtime.events", "realtime.publish", "realtime.ledger");
    }
}
