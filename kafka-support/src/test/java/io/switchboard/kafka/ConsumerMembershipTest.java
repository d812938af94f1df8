package io.switchboard.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConsumerMembershipTest {

    private static ConsumerMembership membership(String id) {
        return new ConsumerMembership(id, Duration.ofSeconds(10), Duration.ofSeconds(3));
    }

    @Test
    void aStableInstanceIdFromHostAndPortInKafkasCharset() {
        String id = membership(null).groupInstanceId("router-service", 8081);
        assertThat(id).startsWith("router-service-").endsWith("-8081").matches("[A-Za-z0-9._-]+");
        assertThat(membership(null).consumerProperties("router-service", 8081))
                .containsEntry("group.instance.id", id)
                .containsEntry("session.timeout.ms", 10_000)
                .containsEntry("heartbeat.interval.ms", 3_000);
    }

    @Test
    void noStaticMembershipWithoutAStablePortOrWhenTurnedOff() {
        assertThat(membership(null).groupInstanceId("router-service", 0)).isNull();
        assertThat(membership("none").groupInstanceId("router-service", 8081)).isNull();
        assertThat(membership("none").consumerProperties("router-service", 8081))
                .doesNotContainKey("group.instance.id");
        assertThat(membership("router-a.1").groupInstanceId("router-service", 0))
                .isEqualTo("router-a.1");
    }

    @Test
    void badSettingsNameTheSetting() {
        assertThatThrownBy(() -> membership("router@host:1").groupInstanceId("x", 1))
                .hasMessageContaining("SWITCHBOARD_INSTANCE_ID");
        assertThatThrownBy(() -> new ConsumerMembership(null, Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessageContaining("switchboard.kafka.session-timeout");
        assertThatThrownBy(() -> new ConsumerMembership(null, Duration.ofSeconds(10), Duration.ofSeconds(5)))
                .hasMessageContaining("switchboard.kafka.heartbeat-interval");
    }
}
