package io.switchboard.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.kafka.trace.RecordValues;
import io.switchboard.schemas.DeliveryReceipt;
import io.switchboard.schemas.wire.PinnedSchemaRegistry;
import io.switchboard.schemas.wire.SchemaRegistry;
import io.switchboard.schemas.wire.WireFormat;
import io.switchboard.testkit.SchemaRegistryStandIn;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class ConsoleFeedTest {

    private static final FeedTopics TOPICS = new FeedTopics("realtime.events", "realtime.publish", "realtime.ledger");
    private static final TopicPartition LEDGER = new TopicPartition("realtime.ledger", 0);
    private static final TopicPartition PUBLISH = new TopicPartition("realtime.publish", 0);
    private static final TopicPartition EVENTS_DLQ = new TopicPartition("realtime.events.dlq", 0);

    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("none");
    private final TestClock clock = new TestClock(Instant.parse("2026-12-03T10:00:10Z"));
    private final ConsoleState state = new ConsoleState(50, clock);

    private ConsoleFeed feed(int backlog) {
        return new ConsoleFeed(
                () -> consumer,
                TOPICS,
                new RecordValues(PinnedSchemaRegistry.instance()),
                state,
                backlog,
                "127.0.0.1:9092",
                clock);
    }

    @Test
    void startsBacklogRecordsBeforeTheEndOfEachPartition() {
        exists(LEDGER, 0, 5);
        ConsoleFeed feed = feed(2);
        feed.step(consumer); // assigns and seeks
        for (int i = 0; i < 5; i++) {
            consumer.addRecord(Records.ledger("realtime.ledger", i, Records.published("e" + i, 100, "private-org.1")));
        }

        feed.step(consumer);

        assertThat(state.after(0).events()).extracting(PublishedEvent::eventId).containsExactly("e3", "e4");
        assertThat(feed.status().reading()).isTrue();
        assertThat(feed.status().partitions()).containsExactly(Map.entry("realtime.ledger", 1));
    }

    @Test
    void receiptsBecomeRowsJoinedWithTheRoutedDataAndDropsAreNotPublished() {
        exists(LEDGER, 0, 0);
        exists(PUBLISH, 0, 0);
        ConsoleFeed feed = feed(10);
        feed.step(consumer);
        consumer.addRecord(Records.ledger("realtime.ledger", 0, Records.published("e1", 250, "private-audit-1")));
        consumer.addRecord(
                Records.onPublish("realtime.publish", 0, Records.publish("e1", "{\"audit_id\":\"1\"}", false, 16)));
        consumer.addRecord(Records.ledger(
                "realtime.ledger", 1, Records.receipt("e2", "DROPPED", "PROGRESS_REGRESSED", "40 after 60", 3)));
        consumer.addRecord(Records.ledger(
                "realtime.ledger", 2, Records.receipt("e1", "SKIPPED_DUPLICATE", null, null, 400, "private-audit-1")));

        feed.step(consumer);

        ConsoleState.Feed rows = state.after(0);
        assertThat(rows.events()).singleElement().satisfies(e -> {
            assertThat(e.eventId()).isEqualTo("e1");
            assertThat(e.latencyMillis()).isEqualTo(250);
            assertThat(e.bytes()).isEqualTo(16);
            assertThat(e.truncated()).isFalse();
        });
        assertThat(rows.notPublished())
                .extracting(NotPublished::kind, NotPublished::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(NotPublished.DROPPED, "PROGRESS_REGRESSED"));
        assertThat(state.channels()).extracting(ChannelRate::channel).containsExactly("private-audit-1");
    }

    @Test
    void aDeadLetterTopicCreatedLaterIsPickedUpAndReadFromItsBeginning() {
        exists(LEDGER, 0, 0);
        ConsoleFeed feed = feed(10);
        feed.step(consumer);
        assertThat(consumer.assignment()).containsExactly(LEDGER);

        exists(EVENTS_DLQ, 0, 1); // the first dead letter created the topic
        clock.advance(ConsoleFeed.REFRESH);
        feed.step(consumer);
        consumer.addRecord(Records.routerDeadLetter(
                "realtime.events.dlq",
                0,
                Records.event("e9", "audit.step_completed", "{}"),
                "UNSAFE_PLACEHOLDER",
                "field 'audit_id' is missing"));
        feed.step(consumer);

        assertThat(consumer.assignment()).containsExactlyInAnyOrder(LEDGER, EVENTS_DLQ);
        assertThat(state.after(0).notPublished())
                .extracting(NotPublished::eventId, NotPublished::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("e9", "UNSAFE_PLACEHOLDER"));
    }

    @Test
    void beforeAnyTopicExistsTheStatusSaysSo() {
        ConsoleFeed feed = feed(10);

        feed.step(consumer);

        assertThat(feed.status().error()).startsWith("none of [realtime.ledger, realtime.publish,");
        assertThat(consumer.assignment()).isEmpty();
    }

    @Test
    void aKafkaFailureIsReportedInTheStatusWhileTheFeedKeepsTrying() {
        exists(LEDGER, 0, 0);
        consumer.setPollException(new KafkaException("broker 127.0.0.1:9092 is gone"));
        try (ConsoleFeed feed = feed(10)) {
            feed.start();

            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(feed.status().error()).isEqualTo("broker 127.0.0.1:9092 is gone"));
            assertThat(feed.status().reading()).isFalse();
        }
    }

    /**
     * Review of issue 16: only KafkaException and IllegalStateException were caught, so anything else ended the
     * feed's thread silently and the page went on showing the last rows as current.
     */
    @Test
    void anUnforeseenFailureIsReportedAndTheFeedGoesOnWithANewConsumer() {
        MockConsumer<byte[], byte[]> failing = new MockConsumer<>("none") {
            @Override
            public synchronized ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
                throw new IllegalArgumentException("a bug in reading");
            }
        };
        exists(failing, LEDGER, 0, 0);
        exists(LEDGER, 0, 0);
        Deque<MockConsumer<byte[], byte[]>> consumers = new ArrayDeque<>(List.of(failing, consumer));
        try (ConsoleFeed feed = new ConsoleFeed(
                consumers::pop,
                TOPICS,
                new RecordValues(PinnedSchemaRegistry.instance()),
                state,
                10,
                "127.0.0.1:9092",
                clock)) {
            feed.start();

            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() ->
                            assertThat(feed.status().error()).isEqualTo("IllegalArgumentException: a bug in reading"));
            assertThat(feed.status().reading()).isFalse();

            // the next consumer (after the 2 s retry) reads on
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !consumer.assignment().isEmpty());
            consumer.addRecord(Records.ledger("realtime.ledger", 0, Records.published("e1", 100, "private-org.1")));
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(state.after(0).events())
                            .extracting(PublishedEvent::eventId)
                            .containsExactly("e1"));
            assertThat(feed.status().error()).isNull();
        }
    }

    /** Review of issue 16 (nit i): a record that cannot be decoded was dropped without a trace. */
    @Test
    void aRecordThatCannotBeDecodedIsCountedAndTheNextOneShown() {
        exists(LEDGER, 0, 0);
        exists(PUBLISH, 0, 0);
        ConsoleFeed feed = feed(10);
        feed.step(consumer);
        consumer.addRecord(Records.record(
                "realtime.ledger", 0, "e0", "not avro".getBytes(java.nio.charset.StandardCharsets.UTF_8), headers()));
        consumer.addRecord(Records.record("realtime.publish", 0, "e0", new byte[] {0, 0, 0, 0, 99}, headers()));
        consumer.addRecord(Records.ledger("realtime.ledger", 1, Records.published("e1", 100, "private-org.1")));

        feed.step(consumer);

        assertThat(feed.status().skipped()).isEqualTo(2);
        assertThat(state.after(0).events()).extracting(PublishedEvent::eventId).containsExactly("e1");
    }

    /** Review of issue 16 (nit i): while the schema registry is unavailable, the page says how much it is missing. */
    @Test
    void whileTheSchemaRegistryIsUnavailableReceiptsAreCountedAsNotShown() throws Exception {
        try (SchemaRegistryStandIn registry = SchemaRegistryStandIn.start()) {
            int id = SchemaRegistry.forUrl(registry.url())
                    .idFor("realtime.ledger-value", DeliveryReceipt.getClassSchema());
            exists(LEDGER, 0, 0);
            ConsoleFeed feed = new ConsoleFeed(
                    () -> consumer,
                    TOPICS,
                    new RecordValues(SchemaRegistry.forUrl(registry.url())),
                    state,
                    10,
                    "127.0.0.1:9092",
                    clock);
            feed.step(consumer);

            registry.down(true);
            consumer.addRecord(receipt(0, id, "e1"));
            feed.step(consumer);
            assertThat(feed.status().skipped()).isEqualTo(1);
            assertThat(state.after(0).events()).isEmpty();

            registry.down(false);
            consumer.addRecord(receipt(1, id, "e2"));
            feed.step(consumer);
            assertThat(feed.status().skipped()).isEqualTo(1);
            assertThat(state.after(0).events())
                    .extracting(PublishedEvent::eventId)
                    .containsExactly("e2");
        }
    }

    private static ConsumerRecord<byte[], byte[]> receipt(long offset, int schemaId, String eventId) {
        return Records.record(
                "realtime.ledger",
                offset,
                eventId,
                WireFormat.encode(schemaId, Records.published(eventId, 100, "private-org.1")),
                headers());
    }

    private static RecordHeaders headers() {
        return new RecordHeaders();
    }

    private void exists(TopicPartition tp, long beginning, long end) {
        exists(consumer, tp, beginning, end);
    }

    private static void exists(MockConsumer<byte[], byte[]> consumer, TopicPartition tp, long beginning, long end) {
        consumer.updatePartitions(
                tp.topic(), List.of(new PartitionInfo(tp.topic(), tp.partition(), Node.noNode(), null, null)));
        consumer.updateBeginningOffsets(Map.of(tp, beginning));
        consumer.updateEndOffsets(Map.of(tp, end));
    }

    /** A clock the test moves. */
    static final class TestClock extends Clock {
        private Instant now;

        TestClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
