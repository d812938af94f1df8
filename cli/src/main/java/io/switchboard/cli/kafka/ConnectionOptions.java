package io.switchboard.cli.kafka;

import io.switchboard.schemas.wire.SchemaRegistry;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import picocli.CommandLine.Option;

/**
 * How the commands reach Kafka: the services' settings ({@code KAFKA_BOOTSTRAP_SERVERS},
 * {@code SCHEMA_REGISTRY_URL}), a client properties file for SASL/TLS clusters, and a bound on how long to wait for
 * the broker. Shared by every command that reads or writes topics (dlq, replay, tail).
 */
public final class ConnectionOptions {

    @Option(
            names = "--bootstrap-servers",
            paramLabel = "HOST:PORT",
            description = "Kafka (default: KAFKA_BOOTSTRAP_SERVERS, else 127.0.0.1:9092)")
    public String bootstrapServers = env("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092");

    @Option(
            names = "--schema-registry-url",
            paramLabel = "URL",
            description =
                    "Confluent-compatible registry (default: SCHEMA_REGISTRY_URL, else the ids pinned in this build)")
    public String schemaRegistryUrl = env("SCHEMA_REGISTRY_URL", null);

    @Option(
            names = "--command-config",
            paramLabel = "FILE",
            description = "Kafka client properties (security.protocol, sasl.*, ssl.*), as kafka-console-consumer takes")
    public Path commandConfig;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            converter = Durations.Converter.class,
            description = "how long to wait for the broker before giving up (default: 10s)")
    public Duration timeout = Duration.ofSeconds(10);

    /** Settings every client shares: the address, the timeouts, then the properties file (which wins). */
    public Map<String, Object> common() {
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        config.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, millis);
        config.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
        if (commandConfig != null) {
            Properties properties = new Properties();
            try (Reader in = Files.newBufferedReader(commandConfig, StandardCharsets.UTF_8)) {
                properties.load(in);
            } catch (IOException e) {
                // a file the arguments name: a usage error (exit 2), told without its content (it may hold a password)
                String why = e instanceof NoSuchFileException
                        ? "no such file"
                        : e instanceof AccessDeniedException ? "permission denied" : Topics.oneLine(e);
                throw new CliFailure("cannot read --command-config " + commandConfig + ": " + why, CliFailure.USAGE);
            }
            properties.forEach((k, v) -> config.put(k.toString(), v));
        }
        return config;
    }

    public Map<String, Object> consumer() {
        Map<String, Object> config = common();
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        return config;
    }

    public Map<String, Object> producer() {
        Map<String, Object> config = common();
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (long) millis);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, 2L * millis));
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        return config;
    }

    public SchemaRegistry registry() {
        return SchemaRegistry.forUrl(schemaRegistryUrl);
    }

    private static String env(String name, String otherwise) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? otherwise : value;
    }
}
