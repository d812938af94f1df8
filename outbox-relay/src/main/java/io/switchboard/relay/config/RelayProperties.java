package io.switchboard.relay.config;

import io.switchboard.relay.outbox.OutboxTable;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * outbox-relay settings, validated when bound: a bad value stops the relay at start-up with a message that names
 * the setting.
 *
 * @param table the outbox table: a plain identifier, optionally {@code schema.table} (env
 *     {@code SWITCHBOARD_OUTBOX_TABLE})
 * @param topic where events go
 * @param deadLetterTopic where rows that cannot become events go
 * @param batchSize rows read, sent and deleted per step, 1 to 10,000
 * @param maxInFlight batches sent and not yet acknowledged, at most; 1 to 100
 * @param pollInterval the shortest wait between steps once the outbox is drained
 * @param maxPollInterval the longest: polling doubles up to it while idle; with Postgres NOTIFY it is only the
 *     fallback, since a notification ends the wait at once
 * @param maxBackoff the longest pause while the database or Kafka fails
 * @param ackTimeout how long a step waits for Kafka's acknowledgements before it fails (and is retried)
 * @param defaultSource the source of rows that name none
 * @param maxRecordBytes the largest Kafka record the relay writes (key, serialized value and headers, as the
 *     producer measures them); a row whose record is larger is dead-lettered as {@code ROW_TOO_LARGE}. At least
 *     65,536 and at most the producer's {@code max.request.size}
 * @param singleReplica true skips the database lock (exactly one replica is guaranteed some other way)
 * @param standbyRetry how often a standby tries to take the lock
 * @param lockRecheck how often the active replica checks that its lock session is alive while it has nothing to do
 *     (a step reads and deletes on that session, so a step notices at once)
 * @param listenNotify on Postgres, wake on LISTEN/NOTIFY (false: poll only)
 * @param unhealthyAfter health is DOWN once the relay has failed without a success this long (or one step has run
 *     this long); longer than {@code ackTimeout}, so one step waiting its full time for an acknowledgement is not
 *     reported DOWN
 */
@ConfigurationProperties("switchboard.outbox")
public record RelayProperties(
        @DefaultValue("switchboard_outbox") String table,
        @DefaultValue("realtime.events") String topic,
        @DefaultValue("realtime.events.dlq") String deadLetterTopic,
        @DefaultValue("500") int batchSize,
        @DefaultValue("4") int maxInFlight,
        @DefaultValue("20ms") Duration pollInterval,
        @DefaultValue("500ms") Duration maxPollInterval,
        @DefaultValue("10s") Duration maxBackoff,
        @DefaultValue("30s") Duration ackTimeout,
        @DefaultValue("outbox-relay") String defaultSource,
        @DefaultValue("1000000") int maxRecordBytes,
        @DefaultValue("false") boolean singleReplica,
        @DefaultValue("1s") Duration standbyRetry,
        @DefaultValue("1s") Duration lockRecheck,
        @DefaultValue("true") boolean listenNotify,
        @DefaultValue("60s") Duration unhealthyAfter) {

    static final String PREFIX = "switchboard.outbox.";
    static final int MIN_RECORD_BYTES = 65_536;

    public RelayProperties {
        new OutboxTable(table); // names switchboard.outbox.table when it is not an identifier
        require(topic != null && !topic.isBlank(), "topic", "must not be blank", topic);
        require(
                deadLetterTopic != null && !deadLetterTopic.isBlank(),
                "dead-letter-topic",
                "must not be blank",
                deadLetterTopic);
        require(
                !deadLetterTopic.equals(topic),
                "dead-letter-topic",
                "must differ from switchboard.outbox.topic",
                deadLetterTopic);
        require(batchSize >= 1 && batchSize <= 10_000, "batch-size", "must be between 1 and 10000", batchSize);
        require(maxInFlight >= 1 && maxInFlight <= 100, "max-in-flight", "must be between 1 and 100", maxInFlight);
        positive(pollInterval, "poll-interval");
        positive(maxPollInterval, "max-poll-interval");
        require(
                maxPollInterval.compareTo(pollInterval) >= 0,
                "max-poll-interval",
                "must be at least switchboard.outbox.poll-interval (" + pollInterval + ")",
                maxPollInterval);
        positive(maxBackoff, "max-backoff");
        positive(ackTimeout, "ack-timeout");
        require(
                defaultSource != null && !defaultSource.isBlank(),
                "default-source",
                "must not be blank",
                defaultSource);
        require(
                maxRecordBytes >= MIN_RECORD_BYTES,
                "max-record-bytes",
                "must be at least " + MIN_RECORD_BYTES,
                maxRecordBytes);
        positive(standbyRetry, "standby-retry");
        positive(lockRecheck, "lock-recheck");
        positive(unhealthyAfter, "unhealthy-after");
        require(
                unhealthyAfter.compareTo(ackTimeout) > 0,
                "unhealthy-after",
                "must be longer than " + PREFIX + "ack-timeout (" + ackTimeout
                        + "): a step may wait that long for Kafka's acknowledgements without being stuck",
                unhealthyAfter);
    }

    /** The table setting, parsed. */
    public OutboxTable outboxTable() {
        return new OutboxTable(table);
    }

    private static void positive(Duration value, String setting) {
        require(value != null && !value.isNegative() && !value.isZero(), setting, "must be a positive duration", value);
    }

    private static void require(boolean valid, String setting, String rule, Object value) {
        if (!valid) {
            throw new IllegalArgumentException(PREFIX + setting + " " + rule + ", was " + value);
        }
    }
}
