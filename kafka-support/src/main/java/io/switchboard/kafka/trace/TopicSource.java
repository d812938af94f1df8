package io.switchboard.kafka.trace;

import java.util.List;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Where a trace reads its records from: the records of one topic within the trace's time window, and whether an
 * optional topic exists at all (no dead letters yet, the ledger off). The command line reads with its own options
 * and messages; the console with its own consumer settings; a test from a list.
 */
public interface TopicSource {

    /** Whether the topic exists. */
    boolean exists(String topic);

    /** The records of {@code topic} within the window that {@code keep} accepts, in partition then offset order. */
    List<ConsumerRecord<byte[], byte[]>> read(String topic, Predicate<ConsumerRecord<byte[], byte[]>> keep);
}
