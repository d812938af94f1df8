package io.switchboard.kafka;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How a service's consumers belong to their group, so that a crash costs seconds, not 45 ({@code
 * switchboard.kafka.*}). Measured in the fault matrix (docs/reliability.md): with Kafka's defaults, after
 * {@code kill -9} nothing was delivered for 45.7 s, the consumer's {@code session.timeout.ms}, however fast the
 * process came back.
 *
 * <ul>
 *   <li><b>Static membership</b> ({@code group.instance.id}): an instance that restarts with the same id takes its
 *       partitions back at once, without a rebalance. The id is {@code SWITCHBOARD_INSTANCE_ID} when set, else the
 *       host name and the HTTP port ({@code router-service-host-8081}), unique per instance and stable across
 *       restarts (a pod's name, a host's service). With {@code server.port=0} (tests) there is no stable id, and
 *       the consumer is a dynamic member.
 *   <li><b>A shorter session</b> ({@code session.timeout.ms} 10 s, heartbeats every 3 s): an instance that does not
 *       come back is replaced by another within about 10 s plus the rebalance.
 * </ul>
 *
 * The cost: a static member that stops for good (scale-down) holds its partitions until its session expires (10
 * s), where a dynamic member left the group at once.
 *
 * @param instanceId the consumer's {@code group.instance.id}; empty derives it as above, {@code none} turns static
 *     membership off
 * @param sessionTimeout how long the group waits for a silent member before moving its partitions
 * @param heartbeatInterval how often a member says it is alive (at most a third of the session)
 */
@ConfigurationProperties("switchboard.kafka")
public record ConsumerMembership(
        String instanceId,
        @DefaultValue("10s") Duration sessionTimeout,
        @DefaultValue("3s") Duration heartbeatInterval) {

    public ConsumerMembership {
        if (sessionTimeout.compareTo(Duration.ofSeconds(6)) < 0
                || sessionTimeout.compareTo(Duration.ofMinutes(30)) > 0) {
            throw new IllegalArgumentException(
                    "switchboard.kafka.session-timeout must be between 6s and 30m (the broker's default bounds), was "
                            + sessionTimeout);
        }
        if (heartbeatInterval.isNegative()
                || heartbeatInterval.isZero()
                || heartbeatInterval.multipliedBy(3).compareTo(sessionTimeout) > 0) {
            throw new IllegalArgumentException("switchboard.kafka.heartbeat-interval must be positive and at most a"
                    + " third of switchboard.kafka.session-timeout, was " + heartbeatInterval);
        }
    }

    /** The consumer properties to apply. */
    public Map<String, Object> consumerProperties(String application, int port) {
        Map<String, Object> properties = new java.util.LinkedHashMap<>();
        properties.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) sessionTimeout.toMillis());
        properties.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) heartbeatInterval.toMillis());
        String id = groupInstanceId(application, port);
        if (id != null) {
            properties.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, id);
        }
        return properties;
    }

    /** The static member id, or null for a dynamic member. */
    public String groupInstanceId(String application, int port) {
        if ("none".equals(instanceId)) {
            return null;
        }
        if (instanceId != null && !instanceId.isBlank()) {
            if (!instanceId.matches("[A-Za-z0-9._-]+")) {
                throw new IllegalArgumentException(
                        "switchboard.kafka.instance-id (SWITCHBOARD_INSTANCE_ID) may hold only"
                                + " ASCII letters, digits, '.', '_' and '-', was " + instanceId);
            }
            return instanceId;
        }
        if (port <= 0) {
            return null;
        }
        // Kafka takes only ASCII letters, digits, '.', '_' and '-' in an instance id
        return (application + "-" + hostName() + "-" + port).replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
