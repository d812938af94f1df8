package io.switchboard.kafka.trace;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * A {@link TopicSource} over a Kafka cluster within [from, to]: one consumer per read, without a group. The topics are
 * listed once per source, so create one per trace.
 */
public final class KafkaTopicSource implements TopicSource {

    private final Supplier<Consumer<byte[], byte[]>> consumers;
    private final BoundedRead.Range range;
    private final Duration timeout;
    private Map<String, List<PartitionInfo>> topics;

    public KafkaTopicSource(Supplier<Consumer<byte[], byte[]>> consumers, Instant from, Instant to, Duration timeout) {
        this.consumers = consumers;
        this.range = new BoundedRead.Range(from, to, null, null);
        this.timeout = timeout;
    }

    @Override
    public boolean exists(String topic) {
        return topics().containsKey(topic);
    }

    /** The records of {@code topic} in the window; a topic that does not exist reads as empty. */
    @Override
    public List<ConsumerRecord<byte[], byte[]>> read(String topic, Predicate<ConsumerRecord<byte[], byte[]>> keep) {
        List<TopicPartition> partitions = topics().getOrDefault(topic, List.of()).stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .sorted(java.util.Comparator.comparingInt(TopicPartition::partition))
                .toList();
        if (partitions.isEmpty()) {
            return List.of();
        }
        try (Consumer<byte[], byte[]> consumer = consumers.get()) {
            return BoundedRead.read(consumer, partitions, range, timeout, BoundedRead.Progress.NONE, keep);
        }
    }

    /** The names of the topics found. */
    public Set<String> names() {
        return topics().keySet();
    }

    private Map<String, List<PartitionInfo>> topics() {
        if (topics == null) {
            try (Consumer<byte[], byte[]> consumer = consumers.get()) {
                topics = consumer.listTopics(timeout);
            }
        }
        return topics;
    }
}
