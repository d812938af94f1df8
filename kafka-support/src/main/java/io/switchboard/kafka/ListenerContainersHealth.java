package io.switchboard.kafka;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * DOWN when the service's consumers make no progress: when a transient failure (DeadLetterPolicy) has been retried
 * for longer than {@code stuckAfter} (default 2 minutes: a registry refusing the service's credentials, an output
 * topic refusing every write, a long Pusher outage), with the failure's text; or when a Kafka listener container
 * of the service has stopped while the process lives on: a container stops
 * for good on a fatal consumer error, for example when another process joined the group with the same
 * {@code group.instance.id} (Kafka fences one of the two, {@code FencedInstanceIdException}) or when the consumer
 * lost its authorization. Without this, health stayed UP over a consumer that consumed nothing. A container paused
 * on purpose (the publisher's open circuit) is running.
 */
public final class ListenerContainersHealth implements HealthIndicator {

    private final KafkaListenerEndpointRegistry registry;
    private final List<DeadLetterPolicy> policies;
    private final Duration stuckAfter;

    public ListenerContainersHealth(
            KafkaListenerEndpointRegistry registry, List<DeadLetterPolicy> policies, Duration stuckAfter) {
        this.registry = registry;
        this.policies = policies;
        this.stuckAfter = stuckAfter;
    }

    @Override
    public Health health() {
        Map<String, Object> details = new LinkedHashMap<>();
        boolean allRunning = true;
        for (MessageListenerContainer container : registry.getListenerContainers()) {
            boolean running = container.isRunning();
            allRunning &= running;
            details.put(container.getListenerId(), running ? "running" : "stopped");
        }
        if (!registry.isRunning()) {
            return Health.unknown().withDetails(details).build(); // starting or shutting down
        }
        for (DeadLetterPolicy policy : policies) {
            long streak = policy.stuck().streakNanos();
            if (streak > stuckAfter.toNanos()) {
                return Health.down()
                        .withDetail(
                                "reason",
                                "retrying the same records for " + streak / 1_000_000_000L + " s without progress: "
                                        + policy.stuck().reason())
                        .withDetails(details)
                        .build();
            }
        }
        return (allRunning ? Health.up() : Health.down().withDetail("reason", "a Kafka listener container stopped"))
                .withDetails(details)
                .build();
    }
}
