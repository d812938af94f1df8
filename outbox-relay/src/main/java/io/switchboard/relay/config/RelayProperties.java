package io.switchboard.relay.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * outbox-relay settings.
 *
 * @param table the outbox table (plain identifier, optionally schema.table)
 * @param topic where events go
 * @param deadLetterTopic where rows that cannot become events go
 * @param batchSize rows read, sent and deleted per step
 * @param pollInterval wait between steps when the outbox is drained
 * @param maxBackoff the longest pause while the database or Kafka fails
 * @param ackTimeout how long a step waits for Kafka's acknowledgements before it fails (and is retried)
 * @param defaultSource the source of rows that name none
 * @param maxPayloadBytes rows with a larger payload are dead-lettered (Kafka's max.request.size is 1 MiB)
 */
@ConfigurationProperties("switchboard.outbox")
public record RelayProperties(
        @DefaultValue("switchboard_outbox") String table,
        @DefaultValue("realtime.events") String topic,
        @DefaultValue("realtime.events.dlq") String deadLetterTopic,
        @DefaultValue("500") int batchSize,
        @DefaultValue("100ms") Duration pollInterval,
        @DefaultValue("10s") Duration maxBackoff,
        @DefaultValue("30s") Duration ackTimeout,
        @DefaultValue("outbox-relay") String defaultSource,
        @DefaultValue("900000") int maxPayloadBytes) {}
