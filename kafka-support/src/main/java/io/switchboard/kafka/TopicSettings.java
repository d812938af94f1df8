package io.switchboard.kafka;

import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.kafka.config.TopicBuilder;

/**
 * How the services create the topics they write to, when missing ({@code switchboard.topics.*}; env
 * {@code SWITCHBOARD_TOPICS_PARTITIONS}, {@code SWITCHBOARD_TOPICS_REPLICATION_FACTOR}). Existing topics are left
 * as they are.
 */
@ConfigurationProperties("switchboard.topics")
public record TopicSettings(
        @DefaultValue("3") int partitions,
        @DefaultValue("1") short replicationFactor) {

    public NewTopic topic(String name) {
        return TopicBuilder.name(name)
                .partitions(partitions)
                .replicas(replicationFactor)
                .build();
    }
}
