package io.switchboard.kafka;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * How the services create the topics they write to, when missing ({@code switchboard.topics.*}; env
 * {@code SWITCHBOARD_TOPICS_PARTITIONS}, {@code SWITCHBOARD_TOPICS_REPLICATION_FACTOR}). Existing topics are left
 * as they are: {@link #createMissing} is used instead of {@code NewTopic} beans, because Spring's KafkaAdmin adds
 * partitions to an existing topic that has fewer than a {@code NewTopic} says, which moves keys to other partitions
 * and breaks the order per aggregate (and a dead-letter topic may rightly have fewer partitions than its source).
 */
@ConfigurationProperties("switchboard.topics")
public record TopicSettings(
        @DefaultValue("3") int partitions,
        @DefaultValue("1") short replicationFactor) {

    private static final Logger log = LoggerFactory.getLogger(TopicSettings.class);

    public TopicSettings {
        if (partitions < 1) {
            throw new IllegalArgumentException(
                    "switchboard.topics.partitions (SWITCHBOARD_TOPICS_PARTITIONS) must be at least 1, was "
                            + partitions);
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("switchboard.topics.replication-factor"
                    + " (SWITCHBOARD_TOPICS_REPLICATION_FACTOR) must be at least 1, was " + replicationFactor);
        }
    }

    public NewTopic topic(String name) {
        return TopicBuilder.name(name)
                .partitions(partitions)
                .replicas(replicationFactor)
                .build();
    }

    /**
     * Creates these topics once the context is up, each only if it is missing. When the broker cannot be reached
     * this only warns: a write to a missing topic is retried, or the broker creates it.
     */
    public SmartInitializingSingleton createMissing(KafkaAdmin kafkaAdmin, String... names) {
        return () -> {
            List<NewTopic> topics =
                    java.util.Arrays.stream(names).map(this::topic).toList();
            try (Admin admin = Admin.create(kafkaAdmin.getConfigurationProperties())) {
                CreateTopicsResult result = admin.createTopics(topics);
                for (NewTopic topic : topics) {
                    try {
                        result.values().get(topic.name()).get(kafkaAdmin.getOperationTimeout(), TimeUnit.SECONDS);
                        log.info("created topic {} ({} partitions)", topic.name(), topic.numPartitions());
                    } catch (ExecutionException e) {
                        if (!(e.getCause() instanceof TopicExistsException)) {
                            log.warn(
                                    "could not create topic {}: {}",
                                    topic.name(),
                                    e.getCause().toString());
                        }
                    } catch (TimeoutException e) {
                        log.warn("could not create topic {}: no answer from Kafka", topic.name());
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }
}
