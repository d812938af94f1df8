package io.switchboard.kafka.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.schemas.DeliveryReceipt;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The ledger's promise to the delivery path: a write never waits, and every lost receipt is counted. */
class KafkaLedgerTest {

    private final MeterRegistry meters = new SimpleMeterRegistry();

    private static DeliveryReceipt receipt(int n) {
        ConsumerRecord<String, String> source = new ConsumerRecord<>("realtime.publish", 2, 40L + n, "audit-A", "");
        return Receipts.about(source, "e" + n, Receipts.PUBLISHER, Receipts.Outcome.PUBLISHED, Instant.EPOCH)
                .build();
    }

    private double count(String result) {
        return meters.counter("switchboard.ledger.receipts", "result", result).count();
    }

    @Test
    void receiptsAreWrittenKeyedByEventIdWithTheirSourceCoordinates() {
        MockProducer<String, DeliveryReceipt> producer =
                new MockProducer<>(true, null, new StringSerializer(), (topic, value) -> new byte[0]);
        try (KafkaLedger ledger = new KafkaLedger(producer, "realtime.ledger", 10, meters)) {
            ledger.write(receipt(1));
            await().atMost(Duration.ofSeconds(5)).until(() -> count("written") == 1);
        }
        ProducerRecord<String, DeliveryReceipt> sent = producer.history().get(0);
        assertThat(sent.topic()).isEqualTo("realtime.ledger");
        assertThat(sent.key()).isEqualTo("e1");
        assertThat(sent.value().getSourceTopic()).isEqualTo("realtime.publish");
        assertThat(sent.value().getSourcePartition()).isEqualTo(2);
        assertThat(sent.value().getSourceOffset()).isEqualTo(41L);
        assertThat(sent.value().getAggregateId()).isEqualTo("audit-A");
    }

    @Test
    void aStuckProducerNeverHoldsUpAWriteAndAFullQueueDropsAndCounts() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        MockProducer<String, DeliveryReceipt> stuck =
                new MockProducer<>(true, null, new StringSerializer(), (topic, value) -> new byte[0]) {
                    @Override
                    public synchronized Future<RecordMetadata> send(
                            ProducerRecord<String, DeliveryReceipt> record, Callback callback) {
                        entered.countDown();
                        try {
                            release.await(); // Kafka unreachable: the producer blocks its caller (max.block.ms)
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return super.send(record, callback);
                    }
                };
        try (KafkaLedger ledger = new KafkaLedger(stuck, "realtime.ledger", 2, meters)) {
            ledger.write(receipt(0));
            entered.await(); // the writer thread is stuck in send with receipt 0
            long start = System.nanoTime();
            for (int i = 1; i <= 100; i++) {
                ledger.write(receipt(i));
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .as("a hundred writes while Kafka is stuck")
                    .isLessThan(Duration.ofSeconds(1));
            assertThat(count("dropped"))
                    .as("the queue holds 2; the rest is dropped")
                    .isEqualTo(98);
            release.countDown();
            await().atMost(Duration.ofSeconds(5)).until(() -> count("written") == 3);
        }
    }

    @Test
    void receiptsKafkaRefusesAreCountedAsFailed() {
        MockProducer<String, DeliveryReceipt> refusing =
                new MockProducer<>(false, null, new StringSerializer(), (topic, value) -> new byte[0]);
        try (KafkaLedger ledger = new KafkaLedger(refusing, "realtime.ledger", 10, meters)) {
            ledger.write(receipt(1));
            ledger.write(receipt(2));
            await().atMost(Duration.ofSeconds(5)).until(() -> refusing.history().size() == 2);
            assertThat(refusing.errorNext(new RecordTooLargeException("too large")))
                    .isTrue();
            assertThat(refusing.completeNext()).isTrue();
            assertThat(count("failed")).isEqualTo(1);
            assertThat(count("written")).isEqualTo(1);
        }
    }

    @Test
    void settingsAreCheckedWithMessagesThatNameThem() {
        assertThatThrownBy(() -> new LedgerSettings(true, " ", 10)).hasMessageContaining("SWITCHBOARD_LEDGER_TOPIC");
        assertThatThrownBy(() -> new LedgerSettings(true, "realtime.ledger", 0))
                .hasMessageContaining("SWITCHBOARD_LEDGER_CAPACITY");
        assertThat(Ledgers.create(java.util.Map.of(), new LedgerSettings(false, "realtime.ledger", 10), meters))
                .isSameAs(Ledger.OFF);
    }
}
