package io.switchboard.relay.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * outbox-relay settings.
 *
 * @param table the outbox table (plain identifier, optionally schema.table; env {@code SWITCHBOARD_OUTBOX_TABLE})
 * @param topic where events go
 * @param deadLetterTopic where rows that cannot become events go
 * @param batchSize rows read, sent and deleted per step
 * @param maxInFlight batches sent and not yet acknowledged, at most
 * @param pollInterval the shortest wait between steps once the outbox is drained
 * @param maxPollInterval the longest: polling doubles up to it while idle; with Postgres NOTIFY it is only the
 *     fallback, since a notification ends the wait at once
 * @param maxBackoff the longest pause while the database or Kafka fails
 * @param ackTimeout how long a step waits for Kafka's acknowledgements before it fails (and is retried)
 * @param defaultSource the source of rows that name none
 * @param maxPayloadBytes rows with a larger payload are dead-lettered (Kafka's max.request.size is 1 MiB)
 * @param singleReplica true skips the database lock (exactly one replica is guaranteed some other way)
 * @param standbyRetry how often a standby tries to take the lock
 * @param lockRecheck how often the active replica checks that its lock connection is alive
 * @param listenNotify on Postgres, wake on LISTEN/NOTIFY (false: poll only)
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
        @DefaultValue("900000") int maxPayloadBytes,
        @DefaultValue("false") boolean singleReplica,
        @DefaultValue("1s") Duration standbyRetry,
        @DefaultValue("1s") Duration lockRecheck,
        @DefaultValue("true") boolean listenNotify) {}
