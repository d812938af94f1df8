package io.switchboard.testkit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * One real Kafka broker per test JVM, shared by every integration test in it:
 * <ol>
 *   <li>{@code SWITCHBOARD_TEST_KAFKA} (a bootstrap address, e.g. the broker of {@code scripts/kafka.sh}) when set;
 *   <li>else the Testcontainers Kafka module when a Docker engine answers;
 *   <li>else spring-kafka's in-process KRaft broker (a real broker, not a mock), as on our CI machines.
 * </ol>
 * The broker stops when the JVM exits.
 */
public final class KafkaTestBroker {

    private static final Logger log = LoggerFactory.getLogger(KafkaTestBroker.class);
    private static volatile String bootstrap;

    private KafkaTestBroker() {}

    public static synchronized String bootstrapServers() {
        if (bootstrap == null) {
            bootstrap = start();
        }
        return bootstrap;
    }

    private static String start() {
        String external = System.getenv("SWITCHBOARD_TEST_KAFKA");
        if (external != null && !external.isBlank()) {
            log.info("integration tests use the Kafka broker at {}", external);
            return external;
        }
        if (dockerAvailable()) {
            KafkaContainer container = new KafkaContainer("apache/kafka:4.1.2");
            container.start();
            Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
            log.info("integration tests use a Testcontainers Kafka broker at {}", container.getBootstrapServers());
            return container.getBootstrapServers();
        }
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 3);
        broker.brokerProperty("group.initial.rebalance.delay.ms", "0");
        broker.afterPropertiesSet();
        Runtime.getRuntime().addShutdownHook(new Thread(broker::destroy));
        log.info(
                "integration tests use an in-process KRaft broker at {} (no Docker engine here)",
                broker.getBrokersAsString());
        return broker.getBrokersAsString();
    }

    private static boolean dockerAvailable() {
        if ("false".equalsIgnoreCase(System.getenv("SWITCHBOARD_TEST_DOCKER"))) {
            return false;
        }
        // Testcontainers' own probe takes seconds to give up; with no socket and no DOCKER_HOST there is no engine
        if (System.getenv("DOCKER_HOST") == null
                && !java.nio.file.Files.exists(java.nio.file.Path.of("/var/run/docker.sock"))
                && !java.nio.file.Files.exists(
                        java.nio.file.Path.of(System.getProperty("user.home"), ".docker/run/docker.sock"))) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }
}
