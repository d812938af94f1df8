package io.switchboard.publisher.config;

import io.switchboard.kafka.DeadLetterPolicy;
import io.switchboard.kafka.TopicSettings;
import io.switchboard.publisher.ingest.PublishFailedException;
import io.switchboard.publisher.ingest.PublisherMetrics;
import io.switchboard.schemas.wire.WireFormatException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.util.backoff.ExponentialBackOff;

/** Topics and the one failure policy of the publisher. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TopicSettings.class)
public class KafkaConfig {

    public static final String STATUS_HEADER = "switchboard-http-status";
    public static final String MESSAGE_HEADER = "switchboard-pusher-message";

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    NewTopic publishDeadLetterTopic(PublisherProperties properties, TopicSettings topics) {
        return topics.topic(properties.deadLetterTopic());
    }

    /**
     * Permanent refusals (400, 401, 403, 404, 413) and undecodable records go to realtime.publish.dlq at once;
     * transient failures (408, 429, 5xx, timeouts, connection errors) are retried with exponential backoff for up
     * to {@code retry-max-elapsed}, then dead-lettered as RETRIES_EXHAUSTED.
     */
    @Bean
    DefaultErrorHandler errorHandler(
            KafkaTemplate<Object, Object> template,
            KafkaProperties kafkaProperties,
            PublisherProperties properties,
            PublisherMetrics metrics) {
        ExponentialBackOff backOff = new ExponentialBackOff(500, 2.0);
        backOff.setMaxInterval(10_000);
        backOff.setMaxElapsedTime(properties.retryMaxElapsed().toMillis());
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
                    }
                })
                .onDeadLetter((record, reason) -> metrics.deadLettered(reason))
                .notRetryable(PublishFailedException.Permanent.class, WireFormatException.class)
                .errorHandler(template, kafkaProperties, backOff);
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
