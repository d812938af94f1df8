package io.switchboard.kafka;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.BackOff;

/**
 * The one failure policy of a consuming service, built in one place: data errors go to the dead-letter topic at
 * once; other errors are retried on {@code backOff} and then dead-lettered. Every dead letter carries the reason
 * code in {@value #REASON_HEADER} (plus spring-kafka's {@code kafka_dlt-*} coordinates and exception), keeps the
 * original bytes when the record could not be decoded, and is written to the same partition number as the
 * original. The offset is committed only after the dead-letter write is acknowledged.
 */
public final class DeadLetterPolicy {

    public static final String REASON_HEADER = "switchboard-reason";

    private static final Logger log = LoggerFactory.getLogger(DeadLetterPolicy.class);

    private final String deadLetterTopic;
    private final Function<Throwable, String> reason;
    private BiConsumer<Throwable, Headers> extraHeaders = (e, headers) -> {};
    private BiConsumer<ConsumerRecord<?, ?>, String> onDeadLetter = (record, reason) -> {};
    private final List<Class<? extends Exception>> notRetryable = new ArrayList<>();

    /**
     * @param deadLetterTopic where failed records go
     * @param reason the reason code for a failure (a bounded set: it labels metrics too)
     */
    public DeadLetterPolicy(String deadLetterTopic, Function<Throwable, String> reason) {
        this.deadLetterTopic = deadLetterTopic;
        this.reason = reason;
    }

    /** Headers to add beside the reason, from the failure. */
    public DeadLetterPolicy extraHeaders(BiConsumer<Throwable, Headers> extraHeaders) {
        this.extraHeaders = extraHeaders;
        return this;
    }

    /** Called once per dead letter, with the reason: the place for a metric. */
    public DeadLetterPolicy onDeadLetter(BiConsumer<ConsumerRecord<?, ?>, String> onDeadLetter) {
        this.onDeadLetter = onDeadLetter;
        return this;
    }

    /** Failures that retrying cannot fix (bad data): dead-lettered at once. */
    @SafeVarargs
    public final DeadLetterPolicy notRetryable(Class<? extends Exception>... types) {
        notRetryable.addAll(List.of(types));
        return this;
    }

    /** The error handler for the service's listener container. */
    public DefaultErrorHandler errorHandler(
            KafkaTemplate<Object, Object> template, KafkaProperties kafkaProperties, BackOff backOff) {
        return errorHandler(recoverer(template, kafkaProperties), backOff);
    }

    /** The error handler for the service's listener container, dead-lettering through {@code recoverer}. */
    public DefaultErrorHandler errorHandler(DeadLetterPublishingRecoverer recoverer, BackOff backOff) {
        DefaultErrorHandler handler = new DefaultErrorHandler(recoverer, backOff);
        notRetryable.forEach(handler::addNotRetryableExceptions);
        return handler;
    }

    /**
     * What writes dead letters: {@code accept(record, exception)} returns once the write is acknowledged, and
     * throws if it was not. A listener that settles records itself (dead-letters some while delivering others) calls
     * it directly; the error handler calls it for the failures that reach it.
     */
    public DeadLetterPublishingRecoverer recoverer(
            KafkaTemplate<Object, Object> template, KafkaProperties kafkaProperties) {
        Map<String, Object> rawConfig = new LinkedHashMap<>(kafkaProperties.buildProducerProperties());
        rawConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        Map<Class<?>, KafkaOperations<?, ?>> templates = new LinkedHashMap<>();
        // undecodable records arrive as their raw bytes; everything else is re-serialized as it was read
        templates.put(byte[].class, new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(rawConfig)));
        templates.put(Object.class, template);
        DeadLetterPublishingRecoverer recoverer = new DeadLetterPublishingRecoverer(
                templates, (record, e) -> new TopicPartition(deadLetterTopic, record.partition()));
        recoverer.setFailIfSendResultIsError(true);
        recoverer.setHeadersFunction((record, e) -> {
            String code = reason.apply(e);
            RecordHeaders headers = new RecordHeaders();
            headers.add(REASON_HEADER, code.getBytes(StandardCharsets.UTF_8));
            extraHeaders.accept(e, headers);
            onDeadLetter.accept(record, code);
            log.warn(
                    "dead-lettering {}-{}@{} to {}: {} ({})",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    deadLetterTopic,
                    code,
                    rootMessage(e));
            return headers;
        });
        return recoverer;
    }

    /** The first cause of {@code type} in the chain, or null. */
    public static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
