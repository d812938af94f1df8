package io.switchboard.publisher.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * publisher-service settings.
 *
 * @param inputTopic where ChannelPublish records come from
 * @param deadLetterTopic where publishes that failed for good go, with the reason in headers
 * @param requestTimeout how long one Pusher request may take before it counts as a transient failure
 * @param retryMaxElapsed how long transient failures of one record are retried before it is dead-lettered
 */
@ConfigurationProperties("switchboard.publisher")
public record PublisherProperties(
        @DefaultValue("realtime.publish") String inputTopic,
        @DefaultValue("realtime.publish.dlq") String deadLetterTopic,
        @DefaultValue("10s") Duration requestTimeout,
        @DefaultValue("2m") Duration retryMaxElapsed) {}
