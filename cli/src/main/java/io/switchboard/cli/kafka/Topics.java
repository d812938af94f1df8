package io.switchboard.cli.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * What every command asks the cluster first: the partitions of its topics. Every failure (no broker, a missing topic)
 * becomes one {@link CliFailure} line.
 */
public final class Topics {

    /** What the Kafka clients say when they could not be created, before the reason (their cause). */
    private static final Pattern WRAPPER = Pattern.compile("Failed to (create new|construct) .*");

    private final ConnectionOptions connection;

    public Topics(ConnectionOptions connection) {
        this.connection = connection;
    }

    /** The names of the cluster's topics; a broker that does not answer in time is a one-line failure. */
    public java.util.Set<String> names() {
        try (Admin admin = Admin.create(connection.common())) {
            try {
                return admin.listTopics().names().get(connection.timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliFailure("interrupted while asking " + connection.bootstrapServers + " for its topics");
            } catch (TimeoutException e) {
                throw unreachable();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                    throw unreachable();
                }
                throw new CliFailure("Kafka at " + connection.bootstrapServers + " refused to list its topics: "
                        + oneLine(e.getCause()));
            } finally {
                admin.close(Duration.ZERO);
            }
        } catch (KafkaException e) {
            throw failure(e);
        }
    }

    /**
     * Every partition of {@code topics}, in order.
     *
     * @param hint said after "topic X does not exist on HOST", e.g. which option names the topic
     */
    public List<TopicPartition> partitions(List<String> topics, String hint) {
        Map<String, Object> config = connection.common();
        long waitMillis = connection.timeout.toMillis() + 1_000;
        try (Admin admin = Admin.create(config)) {
            Map<String, TopicDescription> described;
            try {
                described = admin.describeTopics(topics).allTopicNames().get(waitMillis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliFailure("interrupted while asking " + connection.bootstrapServers + " for " + topics);
            } catch (TimeoutException e) {
                throw unreachable();
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof UnknownTopicOrPartitionException) {
                    throw new CliFailure("topic " + missing(admin, topics) + " does not exist on "
                            + connection.bootstrapServers + " (" + hint + ")");
                }
                if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
                    throw unreachable();
                }
                throw new CliFailure("Kafka at " + connection.bootstrapServers + " refused to describe " + topics + ": "
                        + oneLine(cause));
            } finally {
                admin.close(Duration.ZERO);
            }
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                described
                        .get(topic)
                        .partitions()
                        .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            return partitions;
        } catch (KafkaException e) {
            throw failure(e);
        }
    }

    private String missing(Admin admin, List<String> topics) {
        if (topics.size() == 1) {
            return topics.get(0);
        }
        List<String> absent = new ArrayList<>();
        for (String topic : topics) {
            try {
                admin.describeTopics(List.of(topic))
                        .allTopicNames()
                        .get(connection.timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                absent.add(topic);
            }
        }
        return absent.isEmpty() ? String.join(" or ", topics) : String.join(" and ", absent);
    }

    /** The one line for a broker that does not answer. */
    public CliFailure unreachable() {
        return new CliFailure("cannot reach Kafka at " + connection.bootstrapServers + " within "
                + Durations.text(connection.timeout)
                + " (set KAFKA_BOOTSTRAP_SERVERS or --bootstrap-servers; --command-config for SASL/TLS)");
    }

    /**
     * A client exception as one line; a timeout means the broker could not be reached. A client that could not even
     * be created (an address that is not HOST:PORT or does not resolve, client properties it rejects) is told by what
     * it rejected, not by the wrapper's "Failed to create new KafkaAdminClient".
     */
    public CliFailure failure(KafkaException e) {
        if (e instanceof org.apache.kafka.common.errors.TimeoutException) {
            return unreachable();
        }
        if (e instanceof ConfigException || isWrapper(e)) {
            String why = rejected(e);
            String hint = why.contains(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)
                    ? " (set KAFKA_BOOTSTRAP_SERVERS or --bootstrap-servers to HOST:PORT, e.g. 127.0.0.1:9092)"
                    : connection.commandConfig != null
                            ? " (check --command-config " + connection.commandConfig + ")"
                            : "";
            return new CliFailure("cannot connect to Kafka at " + connection.bootstrapServers + ": " + why + hint);
        }
        return new CliFailure("Kafka at " + connection.bootstrapServers + ": " + oneLine(e));
    }

    /**
     * The first message in {@code e}'s causes that says what was wrong: past the wrappers ("Failed to create new
     * KafkaAdminClient", "Failed to construct kafka consumer", a cause's own text repeated), on one line.
     */
    static String rejected(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t && (isWrapper(t) || t.getMessage() == null)) {
            t = t.getCause();
        }
        return oneLine(t);
    }

    private static boolean isWrapper(Throwable t) {
        String message = t.getMessage();
        return t.getCause() != null
                && (message == null
                        || WRAPPER.matcher(message).matches()
                        || message.equals(t.getCause().toString()));
    }

    /** An exception's message on one line. */
    public static String oneLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.replaceAll("\\s*\\R\\s*", " ");
    }
}
