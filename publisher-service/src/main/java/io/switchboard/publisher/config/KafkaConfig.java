package io.switchboard.publisher.config;

import io.switchboard.publisher.ingest.PublishFailedException;
import io.switchboard.publisher.ingest.PublisherMetrics;
import io.switchboard.schemas.wire.WireFormatException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.util.backoff.ExponentialBackOff;

/** Topics and the one failure policy of the publisher. */
@Configuration(proxyBeanMethods = false)
public class KafkaConfig {

    public static final String REASON_HEADER = "switchboard-reason";
    public static final String STATUS_HEADER = "switchboard-http-status";
    public static final String MESSAGE_HEADER = "switchboard-pusher-message";

    private static final Logger log = LoggerFactory.getLogger(KafkaConfig.class);

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    NewTopic publishDeadLetterTopic(
            PublisherProperties properties,
            @Value("${switchboard.topics.partitions:3}") int partitions,
            @Value("${switchboard.topics.replication-factor:1}") short replicas) {
        return TopicBuilder.name(properties.deadLetterTopic())
                .partitions(partitions)
                .replicas(replicas)
                .build();
    }

    /**
     * Permanent refusals (400, 401, 403, 404, 413) and undecodable records go to realtime.publish.dlq at once;
     * transient failures (429, 5xx, timeouts, connection errors) are retried with exponential backoff for up to
     * {@code retry-max-elapsed}, then dead-lettered with the reason RETRIES_EXHAUSTED. The offset is committed
     * only after the dead-letter write is acknowledged.
     */
    @Bean
    DefaultErrorHandler errorHandler(
            KafkaTemplate<Object, Object> template,
            KafkaProperties kafkaProperties,
            PublisherProperties properties,
            PublisherMetrics metrics) {
        Map<String, Object> rawConfig = new LinkedHashMap<>(kafkaProperties.buildProducerProperties());
        rawConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        Map<Class<?>, KafkaOperations<?, ?>> templates = new LinkedHashMap<>();
        templates.put(byte[].class, new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(rawConfig)));
        templates.put(Object.class, template);
        DeadLetterPublishingRecoverer recoverer = new DeadLetterPublishingRecoverer(
                templates, (record, e) -> new TopicPartition(properties.deadLetterTopic(), record.partition()));
        recoverer.setFailIfSendResultIsError(true);
        recoverer.setHeadersFunction((record, e) -> {
            RecordHeaders headers = new RecordHeaders();
            String reason = "NOT_DESERIALIZABLE";
            PublishFailedException failure = find(e, PublishFailedException.class);
            if (failure != null) {
                reason = failure.permanent() ? "PUSHER_REJECTED" : "RETRIES_EXHAUSTED";
                if (failure.outcome().httpStatus() != null) {
                    headers.add(
                            STATUS_HEADER, bytes(failure.outcome().httpStatus().toString()));
                }
                headers.add(MESSAGE_HEADER, bytes(failure.outcome().message()));
            } else if (find(e, WireFormatException.class) == null && find(e, DeserializationException.class) == null) {
                reason = "UNEXPECTED";
            }
            headers.add(REASON_HEADER, bytes(reason));
            metrics.deadLettered(reason);
            log.warn(
                    "dead-lettering {}-{}@{}: {} ({})",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    reason,
                    e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
            return headers;
        });
        ExponentialBackOff backOff = new ExponentialBackOff(500, 2.0);
        backOff.setMaxInterval(10_000);
        backOff.setMaxElapsedTime(properties.retryMaxElapsed().toMillis());
        DefaultErrorHandler handler = new DefaultErrorHandler(recoverer, backOff);
        handler.addNotRetryableExceptions(PublishFailedException.Permanent.class, WireFormatException.class);
        return handler;
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static byte[] bytes(String s) {
        return (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
    }
}
