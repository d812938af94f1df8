package io.switchboard.cli.dlq;

import io.switchboard.cli.kafka.CliFailure;
import io.switchboard.cli.kafka.ConnectionOptions;
import io.switchboard.cli.kafka.Durations;
import io.switchboard.cli.kafka.TopicReader;
import io.switchboard.cli.kafka.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads dead-letter topics once with {@link TopicReader}, from the start of a time window to the end offsets they had
 * when the read began (records written meanwhile are left for the next run), with bounded waits: every failure is a
 * {@link CliFailure} in one line. A long read reports its progress (rate and ETA) to {@code progress}.
 */
final class DeadLetterScan {

    private final ConnectionOptions connection;
    private final Consumer<String> progress;

    DeadLetterScan(ConnectionOptions connection, Consumer<String> progress) {
        this.connection = connection;
        this.progress = progress;
    }

    /** The dead letters a read selected, and how many the window held in all. */
    record Found(List<DeadLetter> letters, long inWindow) {}

    /**
     * The dead letters of {@code topics} written within [{@code from}, {@code to}] that match {@code filter}, oldest
     * first; only those are held in memory, however many the window holds.
     */
    Found read(List<String> topics, Instant from, Instant to, Predicate<DeadLetter> filter) {
        long[] inWindow = new long[1];
        List<DeadLetter> found = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : new TopicReader(connection)
                .read(partitions(topics), new TopicReader.Range(from, to, null, null), progress, record -> {
                    inWindow[0]++;
                    return filter.test(DeadLetter.of(record));
                })) {
            found.add(DeadLetter.of(record));
        }
        found.sort(Comparator.comparing(DeadLetter::time)
                .thenComparing(DeadLetter::topic)
                .thenComparingInt(DeadLetter::partition)
                .thenComparingLong(DeadLetter::offset));
        return new Found(found, inWindow[0]);
    }

    /** The record at {@code topic:partition:offset}, or a failure that says which offsets the partition holds. */
    DeadLetter one(String topic, int partition, long offset) {
        List<TopicPartition> partitions = partitions(List.of(topic));
        TopicPartition tp = new TopicPartition(topic, partition);
        if (!partitions.contains(tp)) {
            throw new CliFailure("topic " + topic + " has no partition " + partition + " (it has " + partitions.size()
                    + ": 0 to " + (partitions.size() - 1) + ")");
        }
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            consumer.assign(List.of(tp));
            long first =
                    consumer.beginningOffsets(List.of(tp), connection.timeout).get(tp);
            long end = consumer.endOffsets(List.of(tp), connection.timeout).get(tp);
            String where = topic + ":" + partition + ":" + offset;
            if (offset < first || offset >= end) {
                throw new CliFailure("no dead letter at " + where + ": partition " + partition + " of " + topic
                        + (first >= end ? " is empty" : " holds offsets " + first + " to " + (end - 1)));
            }
            consumer.seek(tp, offset);
            long deadline = System.nanoTime() + connection.timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() == offset) {
                        return DeadLetter.of(record);
                    }
                    throw new CliFailure("no dead letter at " + where + " (removed by compaction or a transaction"
                            + " marker); the next one is at offset " + record.offset());
                }
                if (consumer.position(tp, connection.timeout) >= end) {
                    break;
                }
            }
            throw new CliFailure("no dead letter at " + where + " within " + Durations.text(connection.timeout));
        } catch (KafkaException e) {
            throw kafkaFailure(e);
        }
    }

    /** Every partition of {@code topics}; a failure in one line when Kafka cannot be reached or a topic is missing. */
    List<TopicPartition> partitions(List<String> topics) {
        return topics().partitions(
                        topics, "is this the right cluster? --events-dlq and --publish-dlq name other topics");
    }

    private Topics topics() {
        return new Topics(connection);
    }

    private CliFailure kafkaFailure(KafkaException e) {
        return topics().failure(e);
    }

    static String oneLine(Throwable e) {
        return Topics.oneLine(e);
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        return new KafkaConsumer<>(connection.consumer(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
