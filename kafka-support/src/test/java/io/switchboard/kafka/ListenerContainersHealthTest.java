package io.switchboard.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Status;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

class ListenerContainersHealthTest {

    private final KafkaListenerEndpointRegistry registry = mock(KafkaListenerEndpointRegistry.class);
    private final MessageListenerContainer router = mock(MessageListenerContainer.class);
    private final DeadLetterPolicy policy = new DeadLetterPolicy("router", "dlq", e -> "X");

    ListenerContainersHealthTest() {
        when(registry.isRunning()).thenReturn(true);
        when(registry.getListenerContainers()).thenReturn(List.of(router));
        when(router.getListenerId()).thenReturn("router");
    }

    @Test
    void upWhileTheContainersRunAndNothingIsStuck() {
        when(router.isRunning()).thenReturn(true);
        assertThat(new ListenerContainersHealth(registry, List.of(policy), Duration.ofMinutes(2))
                        .health()
                        .getStatus())
                .isEqualTo(Status.UP);
    }

    @Test
    void downWhenAContainerStoppedForGood() {
        // e.g. fenced: another process joined the group with the same group.instance.id
        when(router.isRunning()).thenReturn(false);
        var health = new ListenerContainersHealth(registry, List.of(policy), Duration.ofMinutes(2)).health();
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsEntry("router", "stopped");
    }

    @Test
    void downWhenTheSameRecordsAreRetriedLongerThanStuckAfter() throws Exception {
        when(router.isRunning()).thenReturn(true);
        policy.stuck().failed("REGISTRY_UNAVAILABLE: registry refused: HTTP 401");
        policy.stuck().failed("REGISTRY_UNAVAILABLE: registry refused: HTTP 401");
        var health = new ListenerContainersHealth(registry, List.of(policy), Duration.ZERO).health();
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails().get("reason").toString()).contains("HTTP 401");
        assertThat(new ListenerContainersHealth(registry, List.of(policy), Duration.ofMinutes(2))
                        .health()
                        .getStatus())
                .as("a short streak is a blip")
                .isEqualTo(Status.UP);
    }
}
