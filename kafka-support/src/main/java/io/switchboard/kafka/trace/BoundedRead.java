package io.switchboard.kafka.trace;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads partitions once over a bounded range, without a consumer group (partitions assigned, nothing committed, so no
 * service's offsets are touched): what {@code switchboard trace}, {@code dlq} and {@code replay} read, and what the
 * console's trace search reads. Kafka's own exceptions pass through; a read that stops making progress ends with
 * {@link Stalled}.
 */
public final class BoundedRead {

    /**
     * Which records of each partition: record timestamps within [from, to] and offsets within [fromOffset, toOffset];
     * any bound may be null.
     */
    public record Range(Instant from, Instant to, Long fromOffset, Long toOffset) {
        public static final Range ALL = new Range(null, null, null, null);

        public boolean contains(ConsumerRecord<?, ?> record) {
            return (from == null || record.timestamp() >= from.toEpochMilli())
                    && (to == null || record.timestamp() <= to.toEpochMilli());
        }
    }

    /** How a long read reports itself: records read so far, of how many, since when (nanos). */
    @FunctionalInterface
    public interface Progress {
        void report(long read, long total, long elapsedNanos);

        Progress NONE = (read, total, elapsed) -> {};
    }

    /** No record arrived for the whole timeout while partitions were still unfinished. */
    public static final class Stalled extends RuntimeException {
        private final int unfinished;

        Stalled(int unfinished) {
            super(unfinished + " partitions unfinished");
            this.unfinished = unfinished;
        }

        public int unfinished() {
            return unfinished;
        }
    }

    static final int PROGRESS_MIN_RECORDS = 10_000;
    static final long PROGRESS_EVERY_NANOS = 2_000_000_000L;

    private BoundedRead() {}

    /**
     * Every record of {@code partitions} within {@code range} that {@code keep} accepts, up to the end offsets the
     * partitions had when the read began (records written meanwhile are left out), in partition order then offset
     * order, so that the order of every key is kept. Only what {@code keep} accepts is held in memory. A long read
     * (over {@value #PROGRESS_MIN_RECORDS} records) reports to {@code progress} every 2 s.
     *
     * @param timeout how long Kafka may take to answer one request, and how long a read may go without a record
     */
    public static List<ConsumerRecord<byte[], byte[]>> read(
            Consumer<byte[], byte[]> consumer,
            List<TopicPartition> partitions,
            Range range,
            Duration timeout,
            Progress progress,
            Predicate<ConsumerRecord<byte[], byte[]>> keep) {
        Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> found = new HashMap<>();
        consumer.assign(partitions);
        Map<TopicPartition, Long> first = consumer.beginningOffsets(partitions, timeout);
        Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions, timeout));
        Map<TopicPartition, Long> start = new HashMap<>(first);
        if (range.from() != null) {
            start.putAll(byTime(consumer, partitions, range.from(), end, timeout));
        }
        if (range.to() != null) {
            // the first record after the window bounds the read; later records with earlier timestamps are rare
            // (CreateTime set by a producer) and are left out, as kafka-consumer-groups' --to-datetime does
            Map<TopicPartition, Long> after =
                    byTime(consumer, partitions, range.to().plusMillis(1), end, timeout);
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
        long lastProgress = began;
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
                if (consumer.position(tp, timeout) >= end.get(tp)) {
                    open.remove(tp);
                    consumer.pause(List.of(tp));
                }
            }
            long now = System.nanoTime();
            if (total >= PROGRESS_MIN_RECORDS && now - reported >= PROGRESS_EVERY_NANOS) {
                reported = now;
                progress.report(read, total, now - began);
            }
            if (progressed) {
                lastProgress = now;
            } else if (now - lastProgress > timeout.toNanos()) {
                throw new Stalled(open.size());
            }
        }
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        partitions.forEach(tp -> records.addAll(found.get(tp)));
        return records;
    }

    /** The first offset at or after {@code time} in each partition (its end when there is none). */
    public static Map<TopicPartition, Long> byTime(
            Consumer<byte[], byte[]> consumer,
            List<TopicPartition> partitions,
            Instant time,
            Map<TopicPartition, Long> end,
            Duration timeout) {
        Map<TopicPartition, Long> times = new HashMap<>();
        partitions.forEach(tp -> times.put(tp, time.toEpochMilli()));
        Map<TopicPartition, OffsetAndTimestamp> byTime = consumer.offsetsForTimes(times, timeout);
        Map<TopicPartition, Long> offsets = new HashMap<>();
        partitions.forEach(tp -> {
            OffsetAndTimestamp at = byTime.get(tp);
            offsets.put(tp, at == null ? end.get(tp) : at.offset());
        });
        return offsets;
    }
}
