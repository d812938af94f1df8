package io.switchboard.cli.kafka;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A read long enough for the commands to report their progress (over 10,000 records, over 2 s), on the test broker:
 * the records are written in batches of fewer than {@link #PER_BATCH}, and a {@code --command-config} makes the
 * command's consumer fetch one batch at a time, each held by the broker for {@link #FETCH_WAIT_MS} (it waits for bytes
 * that never come), as a slow link to a remote cluster would: over 40 fetches, 4 s or more.
 */
public final class LongRead {

    public static final int RECORDS = 12_000;
    static final int FETCH_WAIT_MS = 100;
    private static final int PER_BATCH = 300;

    private LongRead() {}

    /** Writes {@link #RECORDS} copies of {@code value} to partition 0 of {@code topic}, in batches. */
    public static void write(String bootstrap, String topic, byte[] key, byte[] value) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        // a record takes more than its value: fewer than PER_BATCH fit
                        ProducerConfig.BATCH_SIZE_CONFIG,
                        value.length * PER_BATCH,
                        ProducerConfig.LINGER_MS_CONFIG,
                        1_000),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < RECORDS; i++) {
                producer.send(new ProducerRecord<>(topic, 0, key, value));
            }
            producer.flush();
        }
    }

    /** A client properties file that makes each fetch return one batch, after {@link #FETCH_WAIT_MS}. */
    public static Path slowFetchConfig(Path dir) throws IOException {
        // the broker caps fetch.min.bytes at fetch.max.bytes, so only the partition's bytes are kept small
        return Files.writeString(dir.resolve("slow-fetch.properties"), """
                # one record batch per fetch, held by the broker while it waits for bytes that never come
                max.partition.fetch.bytes=1
                fetch.max.bytes=50000000
                fetch.min.bytes=50000000
                fetch.max.wait.ms=%d
                """.formatted(FETCH_WAIT_MS));
    }

    /** {@code read 4521 of 12000 records (2100/s, about 4s left)}: what the read reports, with its rate and ETA. */
    public static final String PROGRESS = "read [0-9]+ of " + RECORDS + " records \\([0-9]+/s, about [0-9]+m?s left\\)";
}
