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

        assertThat(auto.openWithoutToken("127.0.0.1")).isTrue();
        assertThat(auto.openWithoutToken("::1")).isTrue();
        assertThat(auto.openWithoutToken("localhost")).isTrue();
        assertThat(auto.openWithoutToken("0.0.0.0")).isFalse();
        assertThat(auto.openWithoutToken("10.0.0.7")).isFalse();
        assertThat(auto.openWithoutToken(null)).as("unset: every interface").isFalse();
        assertThat(auto.openWithoutToken("gateway.internal"))
                .as("a name is never resolved")
                .isFalse();
        assertThat(properties(Access.OPERATOR_TOKEN, Map.of()).openWithoutToken("127.0.0.1"))
                .isFalse();
    }

    @Test
    void refusesACapacityOrATraceWindowOutOfBoundsNamingTheSetting() {
        assertThatThrownBy(() -> new ConsoleProperties(
                        true, Access.AUTO, "k:9092", null, null, topics(), METRICS, 5, List.of(), Duration.ofHours(2)))
                .hasMessageContaining("switchboard.console.capacity");
        assertThatThrownBy(() -> new ConsoleProperties(
                        true, Access.AUTO, "k:9092", null, null, topics(), METRICS, 200, List.of(), Duration.ZERO))
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
        return new ConsoleProperties(
                true, access, "k:9092", kafka, null, topics(), METRICS, 200, List.of(), Duration.ofHours(2));
    }

    private static ConsoleProperties.Topics topics() {
        return new ConsoleProperties.Topics("realtime.events", "realtime.publish", "realtime.ledger");
    }
}
