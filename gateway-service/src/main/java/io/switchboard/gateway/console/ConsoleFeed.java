package io.switchboard.gateway.console;

import io.switchboard.kafka.trace.RecordValues;
import io.switchboard.schemas.ChannelPublish;
import io.switchboard.schemas.DeliveryReceipt;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the ledger, the publish topic and both dead-letter topics into {@link ConsoleState}, on a thread of its own,
 * with a consumer of its own: partitions assigned (no group, nothing committed, so no service's offsets or
 * rebalances are touched), starting {@code backlog} records before each partition's end. A topic created later
 * (the first dead letter) is picked up within {@link #REFRESH} and read from its beginning. When Kafka cannot be
 * reached, or anything else fails, the feed says so in its {@link #status()} and keeps trying; the gateway goes on
 * serving browsers. A record that cannot be shown (not decodable while the schema registry is unavailable, say) is
 * counted in the status rather than dropped unseen.
 */
public final class ConsoleFeed implements AutoCloseable {

    static final Duration REFRESH = Duration.ofSeconds(10);
    static final Duration POLL = Duration.ofMillis(500);
    static final Duration RETRY = Duration.ofSeconds(2);
    private static final Logger log = LoggerFactory.getLogger(ConsoleFeed.class);

    private final Supplier<Consumer<byte[], byte[]>> consumers;
    private final FeedTopics topics;
    private final RecordValues values;
    private final ConsoleState state;
    private final int backlog;
    private final String bootstrapServers;
    private final Clock clock;
    private final Set<TopicPartition> assigned = new HashSet<>();
    private final Thread thread;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private volatile boolean stopped;
    private volatile Consumer<byte[], byte[]> consumer;
    private volatile FeedStatus status;
    private volatile long skipped;
    private boolean listedOnce;
    private Instant nextRefresh = Instant.MIN;

    public ConsoleFeed(
            Supplier<Consumer<byte[], byte[]>> consumers,
            FeedTopics topics,
            RecordValues values,
            ConsoleState state,
            int backlog,
            String bootstrapServers,
            Clock clock) {
        this.consumers = consumers;
        this.topics = topics;
        this.values = values;
        this.state = state;
        this.backlog = backlog;
        this.bootstrapServers = bootstrapServers;
        this.clock = clock;
        this.status = new FeedStatus(bootstrapServers, false, Map.of(), null, null, 0);
        this.thread = new Thread(this::run, "console-feed");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    public FeedStatus status() {
        return status;
    }

    private void run() {
        while (!stopped) {
            try {
                if (consumer == null) {
                    consumer = consumers.get();
                    assigned.clear();
                    listedOnce = false;
                    nextRefresh = Instant.MIN;
                }
                step(consumer);
            } catch (WakeupException | InterruptException e) {
                // close() woke the consumer up
            } catch (RuntimeException e) {
                // Kafka's failures (a broker gone, a topic deleted) and anything unforeseen alike: an exception that
                // left this loop would end the thread, and the page would show the last rows as current forever
                failed(e);
                closeConsumer();
                pause(RETRY);
            }
        }
        closeConsumer();
    }

    /** One round: pick up new partitions when due, then one poll. Package-private for tests. */
    void step(Consumer<byte[], byte[]> consumer) {
        Instant now = clock.instant();
        if (!now.isBefore(nextRefresh)) {
            assignNewPartitions(consumer);
            nextRefresh = now.plus(REFRESH);
        }
        if (assigned.isEmpty()) {
            status = new FeedStatus(
                    bootstrapServers, true, Map.of(), "none of " + topics.all() + " exists yet", now, skipped);
            pause(POLL);
            return;
        }
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
            try {
                accept(record);
            } catch (RuntimeException e) {
                // one record the rows cannot hold must not stop the others: reading again would meet it again
                skip(record, e);
            }
        }
        status = new FeedStatus(bootstrapServers, true, partitionCounts(), null, clock.instant(), skipped);
    }

    /** Says why the feed stopped reading, logging a failure once rather than every {@link #RETRY}. */
    private void failed(RuntimeException e) {
        String line = e instanceof KafkaException || e instanceof IllegalStateException
                ? oneLine(e)
                : e.getClass().getSimpleName() + ": " + oneLine(e);
        if (status.error() == null || !status.error().equals(line)) {
            if (e instanceof KafkaException) {
                log.warn("console feed: {} (retrying every {} s)", line, RETRY.toSeconds());
            } else {
                log.warn("console feed: {} (retrying every {} s)", line, RETRY.toSeconds(), e);
            }
        }
        status = new FeedStatus(bootstrapServers, false, status.partitions(), line, status.lastPoll(), skipped);
    }

    /** Counts a record not shown; the first is logged, the count is on the page. */
    private void skip(ConsumerRecord<byte[], byte[]> record, RuntimeException cause) {
        if (skipped++ == 0) {
            String where = record.topic() + "-" + record.partition() + "@" + record.offset();
            if (cause == null) {
                log.warn(
                        "console feed: {} could not be decoded (is the schema registry reachable, and does it know"
                                + " the record's schema id?); records not shown are counted on the page",
                        where);
            } else {
                log.warn(
                        "console feed: {} could not be shown; records not shown are counted on the page", where, cause);
            }
        }
    }

    private void assignNewPartitions(Consumer<byte[], byte[]> consumer) {
        Map<String, List<PartitionInfo>> existing = consumer.listTopics(Duration.ofSeconds(5));
        List<TopicPartition> found = new ArrayList<>();
        for (String topic : topics.all()) {
            for (PartitionInfo p : existing.getOrDefault(topic, List.of())) {
                TopicPartition tp = new TopicPartition(topic, p.partition());
                if (!assigned.contains(tp)) {
                    found.add(tp);
                }
            }
        }
        if (!found.isEmpty()) {
            assigned.addAll(found);
            consumer.assign(List.copyOf(assigned)); // positions of the partitions already assigned are kept
            if (listedOnce) {
                consumer.seekToBeginning(found); // created since the console started: all of it is new
            } else {
                Map<TopicPartition, Long> begin = consumer.beginningOffsets(found);
                consumer.endOffsets(found)
                        .forEach((tp, end) -> consumer.seek(tp, Math.max(begin.getOrDefault(tp, 0L), end - backlog)));
            }
            log.info("console feed: reading {} from {}", found, bootstrapServers);
        }
        listedOnce = true;
    }

    /** Turns one record into a row of the state. Package-private for tests. */
    void accept(ConsumerRecord<byte[], byte[]> record) {
        String topic = record.topic();
        if (topic.equals(topics.ledger())) {
            DeliveryReceipt receipt = values.receipt(record);
            if (receipt == null) {
                skip(record, null);
                return;
            }
            switch (receipt.getOutcome()) {
                case "PUBLISHED" -> state.published(FeedRows.published(receipt));
                case "DROPPED" -> state.notPublished(FeedRows.dropped(receipt));
                default -> {} // dead letters come with their headers from the DLQ topics; duplicates are counted
            }
        } else if (topic.equals(topics.publish())) {
            if (values.eventOrPublish(record) instanceof ChannelPublish p) {
                state.routed(p.getEventId(), FeedRows.data(p));
            } else {
                skip(record, null);
            }
        } else if (topic.equals(topics.eventsDlq()) || topic.equals(topics.publishDlq())) {
            state.notPublished(FeedRows.deadLetter(record, values.eventOrPublish(record)));
        }
    }

    private Map<String, Integer> partitionCounts() {
        Map<String, Integer> counts = new TreeMap<>();
        assigned.forEach(tp -> counts.merge(tp.topic(), 1, Integer::sum));
        return counts;
    }

    /** Waits between attempts on the feed's own thread; {@link #close()} ends the wait at once. */
    private void pause(Duration duration) {
        try {
            if (stopping.await(duration.toMillis(), TimeUnit.MILLISECONDS)) {
                stopped = true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = true;
        }
    }

    private void closeConsumer() {
        Consumer<byte[], byte[]> current = consumer;
        consumer = null;
        if (current != null) {
            try {
                current.close(Duration.ofSeconds(2));
            } catch (KafkaException e) {
                log.debug("console feed: closing the consumer failed", e);
            }
        }
    }

    private static String oneLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.replaceAll("\\s*\\R\\s*", " ");
    }

    @Override
    public void close() {
        stopped = true;
        stopping.countDown();
        Consumer<byte[], byte[]> current = consumer;
        if (current != null) {
            current.wakeup(); // ends a poll at once; the feed's thread then closes its consumer
        }
        try {
            thread.join(Duration.ofSeconds(5).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
