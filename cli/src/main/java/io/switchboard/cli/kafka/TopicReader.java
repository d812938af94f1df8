package io.switchboard.cli.kafka;

import io.switchboard.kafka.trace.BoundedRead;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads one topic without a consumer group (partitions assigned, nothing committed, so the services' offsets are never
 * touched): once over a bounded range ({@link #read}), or live from its end ({@link #follow}). Every wait is bounded
 * by {@code --timeout}; every failure is one {@link CliFailure} line.
 */
public final class TopicReader {

    /**
     * Which records of each partition: record timestamps within [from, to] and offsets within [fromOffset, toOffset];
     * any bound may be null.
     */
    public record Range(Instant from, Instant to, Long fromOffset, Long toOffset) {
        public static final Range ALL = new Range(null, null, null, null);
    }

    private final ConnectionOptions connection;

    public TopicReader(ConnectionOptions connection) {
        this.connection = connection;
    }

    /** The partitions of {@code topic}, or of {@code chosen} among them; a one-line failure for any that is absent. */
    public List<TopicPartition> partitions(String topic, List<Integer> chosen) {
        return partitions(topic, chosen, "--topic");
    }

    /** {@link #partitions(String, List)}, where {@code option} is the option that names the topic. */
    public List<TopicPartition> partitions(String topic, List<Integer> chosen, String option) {
        List<TopicPartition> all = new Topics(connection)
                .partitions(List.of(topic), "is this the right cluster? " + option + " names another topic");
        if (chosen == null || chosen.isEmpty()) {
            return all;
        }
        List<TopicPartition> selected = new ArrayList<>();
        for (int partition : new java.util.TreeSet<>(chosen)) {
            TopicPartition tp = new TopicPartition(topic, partition);
            if (!all.contains(tp)) {
                throw new CliFailure("topic " + topic + " has no partition " + partition + " (it has " + all.size()
                        + ": 0 to " + (all.size() - 1) + ")");
            }
            selected.add(tp);
        }
        return selected;
    }

    /**
     * Every record of {@code partitions} within {@code range}, up to the end offsets the partitions had when the read
     * began (records written meanwhile are left out), in partition order then offset order, so that the order of
     * every key is kept. A long read (over 10,000 records) reports its progress, rate and ETA to {@code progress}
     * every 2 s.
     */
    public List<ConsumerRecord<byte[], byte[]>> read(
            List<TopicPartition> partitions, Range range, Consumer<String> progress) {
        return read(partitions, range, progress, record -> true);
    }

    /**
     * {@link #read(List, Range, Consumer)}, keeping only the records {@code keep} accepts: a long window is read
     * without holding all of it in memory. The reading itself is kafka-support's {@link BoundedRead}, which the
     * gateway's console shares; here its failures become one {@link CliFailure} line.
     */
    public List<ConsumerRecord<byte[], byte[]>> read(
            List<TopicPartition> partitions,
            Range range,
            Consumer<String> progress,
            java.util.function.Predicate<ConsumerRecord<byte[], byte[]>> keep) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            return BoundedRead.read(
                    consumer,
                    partitions,
                    new BoundedRead.Range(range.from(), range.to(), range.fromOffset(), range.toOffset()),
                    connection.timeout,
                    (read, total, elapsed) -> progress.accept(progressLine(read, total, elapsed)),
                    keep);
        } catch (BoundedRead.Stalled e) {
            throw new CliFailure("reading "
                    + String.join(
                            ", ",
                            partitions.stream()
                                    .map(TopicPartition::topic)
                                    .distinct()
                                    .toList())
                    + " from "
                    + connection.bootstrapServers + " made no progress for "
                    + Durations.text(connection.timeout) + " (" + e.unfinished() + " partitions unfinished)");
        } catch (KafkaException e) {
            throw new Topics(connection).failure(e);
        }
    }

    /** {@code read 12000 of 50000 records (6000/s, about 6s left)}. */
    static String progressLine(long read, long total, long elapsedNanos) {
        double rate = read / Math.max(elapsedNanos / 1e9, 1e-3);
        long left = rate <= 0 ? -1 : (long) Math.ceil(Math.max(0, total - read) / rate);
        return "read " + read + " of " + total + " records (" + Math.round(rate) + "/s, "
                + (left < 0 ? "ETA unknown" : "about " + Durations.text(Duration.ofSeconds(left)) + " left") + ")";
    }

    /**
     * Follows {@code partitions} live, from their end or from {@code since}, handing each record to {@code each}
     * until it returns false, {@code limit} has passed, or {@link Following#stop} is called (Ctrl-C).
     *
     * @param ready called once every partition's start position is fixed: a record written after it is seen
     */
    public void follow(
            List<TopicPartition> partitions,
            Instant since,
            Duration limit,
            Following following,
            Runnable ready,
            Predicate<ConsumerRecord<byte[], byte[]>> each) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            following.consumer = consumer;
            consumer.assign(partitions);
            if (since == null) {
                consumer.seekToEnd(partitions);
            } else {
                Map<TopicPartition, Long> end = consumer.endOffsets(partitions, connection.timeout);
                BoundedRead.byTime(consumer, partitions, since, end, connection.timeout)
                        .forEach(consumer::seek);
            }
            for (TopicPartition tp : partitions) {
                consumer.position(tp, connection.timeout); // resolves seekToEnd now, not at the first poll
            }
            ready.run();
            long deadline = limit == null ? Long.MAX_VALUE : System.nanoTime() + limit.toNanos();
            while (!following.stopped && System.nanoTime() < deadline) {
                long left = Math.max(1, Math.min(200, (deadline - System.nanoTime()) / 1_000_000));
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(left))) {
                    if (!each.test(record)) {
                        return;
                    }
                }
            }
        } catch (WakeupException e) {
            // stopped from another thread (Ctrl-C)
        } catch (KafkaException e) {
            throw new Topics(connection).failure(e);
        } finally {
            following.consumer = null;
        }
    }

    /** A handle to stop {@link #follow} from another thread (a shutdown hook on Ctrl-C). */
    public static final class Following {
        private volatile boolean stopped;
        private volatile KafkaConsumer<?, ?> consumer;

        public void stop() {
            stopped = true;
            KafkaConsumer<?, ?> current = consumer;
            if (current != null) {
                current.wakeup();
            }
        }
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        return new KafkaConsumer<>(connection.consumer(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
