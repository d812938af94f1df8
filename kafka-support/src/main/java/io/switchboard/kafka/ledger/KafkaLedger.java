package io.switchboard.kafka.ledger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.schemas.DeliveryReceipt;
import io.switchboard.schemas.wire.AvroSerializer;
import io.switchboard.schemas.wire.SchemaRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger on Kafka: {@link #write} only offers the receipt to a bounded queue (the delivery path never waits for
 * Kafka, a registry or a serializer); one thread of its own serializes the receipts and hands them to a producer of
 * their own, which batches them ({@code linger.ms} 100, 256 KB batches, uncompressed). When the queue is full, or Kafka refuses a receipt, the
 * receipt is counted ({@code switchboard_ledger_receipts_total{result="dropped"|"failed"}}) and lost: the ledger is
 * an aid to find what happened, never a reason to slow or stop delivery. Keyed by event id, so one event's receipts
 * share a partition.
 */
public final class KafkaLedger implements Ledger, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaLedger.class);
    private static final int BATCH = 512;

    private final Producer<String, DeliveryReceipt> producer;
    private final String topic;
    private final BlockingQueue<DeliveryReceipt> queue;
    private final Counter written;
    private final Counter failed;
    private final Counter dropped;
    private final Thread writer;
    private volatile boolean running = true;
    private volatile boolean warned;

    KafkaLedger(Producer<String, DeliveryReceipt> producer, String topic, int capacity, MeterRegistry meters) {
        this.producer = producer;
        this.topic = topic;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.written = counter(meters, "written", "receipts Kafka acknowledged on the ledger topic");
        this.failed = counter(meters, "failed", "receipts Kafka refused or did not acknowledge in time: lost");
        this.dropped = counter(meters, "dropped", "receipts dropped because the ledger's queue was full: lost");
        this.writer = new Thread(this::run, "ledger-writer");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /**
     * A ledger writing to {@code settings.topic()}, with a producer built from the service's own producer settings
     * ({@code producerProperties}: bootstrap servers, security, the registry URL), serializing with {@code registry}.
     */
    public static KafkaLedger create(
            Map<String, Object> producerProperties,
            SchemaRegistry registry,
            LedgerSettings settings,
            MeterRegistry meters) {
        Map<String, Object> config = new HashMap<>(producerProperties);
        config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "switchboard-ledger-" + System.identityHashCode(meters));
        config.put(ProducerConfig.ACKS_CONFIG, "1");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false); // a repeated receipt is harmless
        config.put(ProducerConfig.LINGER_MS_CONFIG, 100);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024); // fewer, larger produce requests for the broker
        // uncompressed: a compressed batch costs CPU twice, here and in the broker, which decompresses it to
        // validate; receipts are small (about 170 bytes) and the ledger topic's size is bounded by its retention
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000); // blocks only the ledger's own thread
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        KafkaProducer<String, DeliveryReceipt> producer =
                new KafkaProducer<>(config, new StringSerializer(), new AvroSerializer<>(registry));
        return new KafkaLedger(producer, settings.topic(), settings.capacity(), meters);
    }

    @Override
    public void write(DeliveryReceipt receipt) {
        if (!running || !queue.offer(receipt)) {
            dropped.increment();
        }
    }

    /** Receipts waiting for the writer thread. */
    public int pending() {
        return queue.size();
    }

    private void run() {
        List<DeliveryReceipt> batch = new ArrayList<>(BATCH);
        while (running || !queue.isEmpty()) {
            try {
                DeliveryReceipt first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                for (DeliveryReceipt receipt : batch) {
                    send(receipt);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) { // the thread must outlive any one receipt
                failed.increment(batch.size());
                warnOnce(e);
            } finally {
                batch.clear();
            }
        }
    }

    private void send(DeliveryReceipt receipt) {
        try {
            producer.send(new ProducerRecord<>(topic, receipt.getEventId(), receipt), (metadata, error) -> {
                if (error == null) {
                    written.increment();
                } else {
                    failed.increment();
                    warnOnce(error);
                }
            });
        } catch (RuntimeException e) {
            failed.increment();
            warnOnce(e);
        }
    }

    private void warnOnce(Throwable error) {
        if (!warned) {
            warned = true; // one line, not one per receipt: the counters say how many
            log.warn(
                    "ledger receipts are being lost (switchboard_ledger_receipts_total{result=\"failed\"}): {}",
                    error.toString());
        }
    }

    /** Writes what is queued (up to {@code timeout}), then closes the producer. */
    @Override
    public void close() {
        running = false;
        try {
            writer.join(Duration.ofSeconds(5).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
    }

    private static Counter counter(MeterRegistry meters, String result, String description) {
        return Counter.builder("switchboard.ledger.receipts")
                .tag("result", result)
                .description(description)
                .register(meters);
    }
}
