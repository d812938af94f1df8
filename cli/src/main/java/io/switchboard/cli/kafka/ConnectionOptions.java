package io.switchboard.cli.kafka;

import io.switchboard.schemas.wire.RegistryUrl;
import io.switchboard.schemas.wire.SchemaRegistry;
import java.io.IOException;
import java.io.Reader;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

    /** Client properties that hold credentials, as Kafka names them (ssl.key.password, sasl.jaas.config, ...). */
    private static final Pattern SECRET_KEY = Pattern.compile("password|secret|jaas|\\.key$|keystore\\.key|token");
    /**
     * The parts of a JAAS entry, {@code Module required username="u" password="p";}: an option (its key, then its
     * value quoted or not), or a bare word (the module, the control flag, or whatever a malformed entry holds).
     */
    private static final Pattern JAAS_PARTS =
            Pattern.compile("([\\w.\\-]+)\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)'|([^\\s;]+))|([^\\s;=]+)");
    /** JAAS control flags: words of every entry, never secrets. */
    private static final Set<String> JAAS_FLAGS = Set.of("required", "requisite", "sufficient", "optional");

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

    /**
     * The registry client for {@code --schema-registry-url} (or {@code SCHEMA_REGISTRY_URL}), or the ids pinned in this
     * build when neither is set; a URL that is not {@code http(s)://HOST[:PORT][/PATH]} is a usage failure.
     */
    public SchemaRegistry registry() {
        check();
        return SchemaRegistry.forUrl(schemaRegistryUrl);
    }

    /**
     * Checks the settings that can be checked without the cluster, before any command talks to it: the registry
     * URL must be {@code http(s)://HOST[:PORT][/PATH]}. The one line names the setting and shows the URL without its
     * user-info, which may hold a password (the registry client sends it as HTTP Basic).
     */
    public void check() {
        if (schemaRegistryUrl == null || schemaRegistryUrl.isBlank()) {
            return;
        }
        try {
            RegistryUrl.parse(schemaRegistryUrl);
        } catch (IllegalArgumentException e) {
            throw new CliFailure("--schema-registry-url (or SCHEMA_REGISTRY_URL) " + e.getMessage(), CliFailure.USAGE);
        }
    }

    /**
     * {@code text} with every secret these settings hold masked as {@code ***}: the values of the
     * {@code --command-config} properties that hold credentials (passwords, keys, secrets, the JAAS configuration
     * and each of its values) and the registry URL's user-info. Applied to every line a command prints about a
     * failure: a client's error may quote what it could not parse ("Invalid login module control flag 's3cret'").
     */
    public String redact(String text) {
        if (text == null) {
            return null;
        }
        String result = text;
        for (String secret : secrets()) {
            // whole words only: a short secret must not mangle the words around it
            result = Pattern.compile("(?<![A-Za-z0-9])" + Pattern.quote(secret) + "(?![A-Za-z0-9])")
                    .matcher(result)
                    .replaceAll("***");
        }
        return result;
    }

    /** The secrets, longest first (so that a part of one never leaves the rest of it). */
    private List<String> secrets() {
        Set<String> secrets = new HashSet<>();
        if (schemaRegistryUrl != null) {
            int scheme = schemaRegistryUrl.indexOf("://");
            int at = schemaRegistryUrl.lastIndexOf('@');
            if (at > scheme + 3 && scheme >= 0) {
                String userInfo = schemaRegistryUrl.substring(scheme + 3, at);
                secrets.add(userInfo);
                int colon = userInfo.indexOf(':');
                if (colon >= 0 && colon + 1 < userInfo.length()) {
                    secrets.add(userInfo.substring(colon + 1));
                    try {
                        secrets.add(URLDecoder.decode(userInfo.substring(colon + 1), StandardCharsets.UTF_8));
                    } catch (IllegalArgumentException e) {
                        // a malformed escape ("50%zz"): no decoded form to mask, and the raw one is masked above
                    }
                }
            }
        }
        if (commandConfig != null) {
            Properties properties = new Properties();
            try (Reader in = Files.newBufferedReader(commandConfig, StandardCharsets.UTF_8)) {
                properties.load(in);
            } catch (IOException | IllegalArgumentException e) {
                // nothing read, nothing to mask: the read itself fails with its own line
            }
            properties.forEach((k, v) -> {
                String key = k.toString().toLowerCase(Locale.ROOT);
                String value = v.toString();
                if (SECRET_KEY.matcher(key).find() && !value.isBlank()) {
                    secrets.add(value);
                    if (key.contains("jaas")) {
                        // each option value and bare word of the entry: a parse error quotes the one it stumbled on
                        Matcher part = JAAS_PARTS.matcher(value);
                        while (part.find()) {
                            for (int group = 2; group <= 5; group++) {
                                String word = part.group(group);
                                if (word != null
                                        && word.length() >= 2
                                        && !JAAS_FLAGS.contains(word.toLowerCase(Locale.ROOT))) {
                                    secrets.add(word);
                                }
                            }
                        }
                    }
                }
            });
        }
        List<String> ordered = new ArrayList<>(secrets);
        ordered.removeIf(String::isEmpty);
        ordered.sort(Comparator.comparingInt(String::length).reversed());
        return ordered;
    }

    private static String env(String name, String otherwise) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? otherwise : value;
    }
}
