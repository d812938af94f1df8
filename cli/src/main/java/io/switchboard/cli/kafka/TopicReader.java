package io.switchboard.cli.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
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

        boolean contains(ConsumerRecord<?, ?> record) {
            return (from == null || record.timestamp() >= from.toEpochMilli())
                    && (to == null || record.timestamp() <= to.toEpochMilli());
        }
    }

    static final int PROGRESS_MIN_RECORDS = 10_000;
    static final int PROGRESS_EVERY_SECONDS = 2;

    private final ConnectionOptions connection;

    public TopicReader(ConnectionOptions connection) {
        this.connection = connection;
    }

    /** The partitions of {@code topic}, or of {@code chosen} among them; a one-line failure for any that is absent. */
    public List<TopicPartition> partitions(String topic, List<Integer> chosen) {
        List<TopicPartition> all = new Topics(connection)
                .partitions(List.of(topic), "is this the right cluster? --topic names another topic");
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
     * every key is kept. A long read (over {@value #PROGRESS_MIN_RECORDS} records) reports its progress, rate and
     * ETA to {@code progress} every {@value #PROGRESS_EVERY_SECONDS} s.
     */
    public List<ConsumerRecord<byte[], byte[]>> read(
            List<TopicPartition> partitions, Range range, Consumer<String> progress) {
        return read(partitions, range, progress, record -> true);
    }

    /**
     * {@link #read(List, Range, Consumer)}, keeping only the records {@code keep} accepts: a long window is read
     * without holding all of it in memory.
     */
    public List<ConsumerRecord<byte[], byte[]>> read(
            List<TopicPartition> partitions,
            Range range,
            Consumer<String> progress,
            java.util.function.Predicate<ConsumerRecord<byte[], byte[]>> keep) {
        Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> found = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            consumer.assign(partitions);
            Map<TopicPartition, Long> first = consumer.beginningOffsets(partitions, connection.timeout);
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions, connection.timeout));
            Map<TopicPartition, Long> start = new HashMap<>(first);
            if (range.from() != null) {
                start.putAll(byTime(consumer, partitions, range.from(), end));
            }
            if (range.to() != null) {
                // the first record after the window bounds the read; later records with earlier timestamps are rare
                // (CreateTime set by a producer) and are left out, as kafka-consumer-groups' --to-datetime does
                Map<TopicPartition, Long> after =
                        byTime(consumer, partitions, range.to().plusMillis(1), end);
                after.forEach((tp, offset) -> end.put(tp, Math.min(end.get(tp), offset)));
            }
            if (range.fromOffset() != null) {
                start.replaceAll((tp, offset) -> Math.max(offset, range.fromOffset()));
            }
            if (range.toOffset() != null) {
                end.replaceAll((tp, offset) -> Math.min(offset, range.toOffset() + 1));
            }
            Set<TopicPartition> open = new HashSet<>();
            for (TopicPartition tp : partitions) {
                found.put(tp, new ArrayList<>());
                if (start.get(tp) < end.get(tp)) {
                    consumer.seek(tp, start.get(tp));
                    open.add(tp);
                }
            }
            consumer.pause(partitions.stream().filter(tp -> !open.contains(tp)).toList());
            long total = 0;
            for (TopicPartition tp : open) {
                total += end.get(tp) - start.get(tp);
            }
            long began = System.nanoTime();
            long reported = began;
            long read = 0;
            long lastProgress = System.nanoTime();
            while (!open.isEmpty()) {
                boolean progressed = false;
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    progressed = true;
                    read++;
                    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                    if (record.offset() < end.get(tp) && range.contains(record) && keep.test(record)) {
                        found.get(tp).add(record);
                    }
                }
                for (TopicPartition tp : List.copyOf(open)) {
                    if (consumer.position(tp, connection.timeout) >= end.get(tp)) {
                        open.remove(tp);
                        consumer.pause(List.of(tp));
                    }
                }
                long now = System.nanoTime();
                if (total >= PROGRESS_MIN_RECORDS && now - reported >= PROGRESS_EVERY_SECONDS * 1_000_000_000L) {
                    reported = now;
                    progress.accept(progressLine(read, total, now - began));
                }
                if (progressed) {
                    lastProgress = System.nanoTime();
                } else if (System.nanoTime() - lastProgress > connection.timeout.toNanos()) {
                    throw new CliFailure("reading "
                            + String.join(
                                    ", ",
                                    partitions.stream()
                                            .map(TopicPartition::topic)
                                            .distinct()
                                            .toList())
                            + " from "
                            + connection.bootstrapServers + " made no progress for "
                            + Durations.text(connection.timeout) + " (" + open.size() + " partitions unfinished)");
                }
            }
        } catch (KafkaException e) {
            throw new Topics(connection).failure(e);
        }
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        partitions.forEach(tp -> records.addAll(found.get(tp)));
        return records;
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
                byTime(consumer, partitions, since, end).forEach(consumer::seek);
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

    private Map<TopicPartition, Long> byTime(
            KafkaConsumer<byte[], byte[]> consumer,
            List<TopicPartition> partitions,
            Instant time,
            Map<TopicPartition, Long> end) {
        Map<TopicPartition, Long> times = new HashMap<>();
        partitions.forEach(tp -> times.put(tp, time.toEpochMilli()));
        Map<TopicPartition, OffsetAndTimestamp> byTime = consumer.offsetsForTimes(times, connection.timeout);
        Map<TopicPartition, Long> offsets = new HashMap<>();
        partitions.forEach(tp -> {
            OffsetAndTimestamp at = byTime.get(tp);
            offsets.put(tp, at == null ? end.get(tp) : at.offset());
        });
        return offsets;
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        return new KafkaConsumer<>(connection.consumer(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
