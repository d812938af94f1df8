package io.switchboard.publisher.config;

import io.switchboard.kafka.DeadLetterPolicy;
import io.switchboard.kafka.TopicSettings;
import io.switchboard.publisher.ingest.CircuitOpenException;
import io.switchboard.publisher.ingest.PublishFailedException;
import io.switchboard.publisher.ingest.PublisherMetrics;
import io.switchboard.schemas.wire.WireFormatException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.apache.kafka.clients.admin.NewTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ContainerCustomizer;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.util.backoff.ExponentialBackOff;
import org.springframework.util.backoff.FixedBackOff;

/**
 * Topics and the one failure policy of the publisher. Pusher's answers are settled by the listener itself
 * (OrderedDelivery: retried through resilience4j, then dead-lettered through {@link #deadLetters}); what reaches the
 * error handler is an undecodable record (dead-lettered at once), an open circuit breaker (consumed again, never
 * dead-lettered, for as long as it takes) or an unexpected failure (retried with backoff for two minutes, then
 * dead-lettered as UNEXPECTED).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TopicSettings.class)
public class KafkaConfig {

    private static final Logger log = LoggerFactory.getLogger(KafkaConfig.class);

    public static final String STATUS_HEADER = "switchboard-http-status";
    public static final String MESSAGE_HEADER = "switchboard-pusher-message";
    public static final String ATTEMPTS_HEADER = "switchboard-attempts";

    /**
     * Offsets are committed without waiting for the broker's answer. They are committed only once every record
     * before them is settled (the listener returns only then), so what a commit says is already durable; a commit
     * that fails is superseded by the next one, or the records are consumed again and the dedupe store skips what
     * Pusher already accepted: a possible repeat, never a loss. Waiting for it kept each consumer idle about 5 ms
     * per poll, with nothing in flight (measured: 7.5 ms between two polls, 2.5 ms without; docs/benchmarks.md).
     */
    @Bean
    ContainerCustomizer<Object, Object, ConcurrentMessageListenerContainer<Object, Object>> asyncCommits() {
        return container -> {
            container.getContainerProperties().setSyncCommits(false);
            container.getContainerProperties().setCommitCallback((offsets, error) -> {
                if (error != null) {
                    log.warn("committing offsets failed; the next commit supersedes it ({})", error.toString());
                }
            });
        };
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    NewTopic publishDeadLetterTopic(PublisherProperties properties, TopicSettings topics) {
        return topics.topic(properties.deadLetterTopic());
    }

    @Bean
    DeadLetterPolicy deadLetterPolicy(PublisherProperties properties, PublisherMetrics metrics) {
        return new DeadLetterPolicy(properties.deadLetterTopic(), KafkaConfig::reason)
                .extraHeaders((e, headers) -> {
                    PublishFailedException failure = DeadLetterPolicy.find(e, PublishFailedException.class);
                    if (failure != null) {
                        if (failure.outcome().httpStatus() != null) {
                            headers.add(
                                    STATUS_HEADER,
                                    bytes(failure.outcome().httpStatus().toString()));
                        }
                        headers.add(MESSAGE_HEADER, bytes(failure.outcome().message()));
                        headers.add(
                                ATTEMPTS_HEADER,
                                bytes(Integer.toString(failure.result().attempts())));
                    }
                })
                .onDeadLetter((record, reason) -> metrics.deadLettered(reason))
                .notRetryable(WireFormatException.class);
    }

    @Bean
    DeadLetterPublishingRecoverer deadLetters(
            DeadLetterPolicy policy, KafkaTemplate<Object, Object> template, KafkaProperties kafkaProperties) {
        return policy.recoverer(template, kafkaProperties);
    }

    @Bean
    DefaultErrorHandler errorHandler(DeadLetterPolicy policy, DeadLetterPublishingRecoverer deadLetters) {
        ExponentialBackOff unexpected = new ExponentialBackOff(500, 2.0);
        unexpected.setMaxInterval(10_000);
        unexpected.setMaxElapsedTime(120_000);
        DefaultErrorHandler handler = policy.errorHandler(deadLetters, unexpected);
        FixedBackOff untilClosed = new FixedBackOff(500, FixedBackOff.UNLIMITED_ATTEMPTS);
        handler.setBackOffFunction(
                (record, e) -> DeadLetterPolicy.find(e, CircuitOpenException.class) != null ? untilClosed : null);
        return handler;
    }

    static String reason(Throwable e) {
        PublishFailedException failure = DeadLetterPolicy.find(e, PublishFailedException.class);
        if (failure != null) {
            return failure.permanent() ? "PUSHER_REJECTED" : "RETRIES_EXHAUSTED";
        }
        if (DeadLetterPolicy.find(e, WireFormatException.class) != null
                || DeadLetterPolicy.find(e, DeserializationException.class) != null) {
            return "NOT_DESERIALIZABLE";
        }
        return "UNEXPECTED";
    }

    private static byte[] bytes(String s) {
        return (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
    }
}
