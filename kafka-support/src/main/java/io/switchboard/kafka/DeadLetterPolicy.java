package io.switchboard.kafka;

import io.switchboard.schemas.wire.WireFormatException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.ListenerExecutionFailedException;
import org.springframework.kafka.listener.TimestampedException;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * The one failure policy of a consuming service, built in one place.
 *
 * <ul>
 *   <li>Data errors go to the dead-letter topic, with the header set of {@link DeadLetterHeaders} (the reason code,
 *       its text, the stage, the event id) and spring-kafka's {@code kafka_dlt-*} coordinates; a record that could
 *       not be decoded keeps its original bytes. The partition is left to the producer (by key), so the dead-letter
 *       topic may have fewer partitions than the source.
 *   <li>A dead letter counts and logs (one WARN line: event id, reason, text) only once Kafka acknowledged it; a
 *       write that fails throws, and the record stays unsettled.
 *   <li>A {@link TransientFailure} (or a schema registry that cannot be reached) is never dead-lettered: the error
 *       handler commits the records before it and consumes again from it, backing off up to 10 s between tries,
 *       for as long as it takes.
 *   <li>Anything else is retried on the service's {@code backOff}, then dead-lettered.
 * </ul>
 *
 * <p>Closing the policy closes the producer it made for raw bytes.
 */
public final class DeadLetterPolicy implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterPolicy.class);

    private final String stage;
    private final String deadLetterTopic;
    private final Function<Throwable, String> reason;
    private BiConsumer<Throwable, Headers> extraHeaders = (e, headers) -> {};
    private DeadLettered onDeadLetter = (record, reason, failure) -> {};
    private Function<Object, String> eventId = value -> null;
    private final List<Class<? extends Exception>> notRetryable = new ArrayList<>();
    private final List<DefaultKafkaProducerFactory<?, ?>> factories = new ArrayList<>();
    private final Stuck stuck = new Stuck();
    private final java.util.Set<String> loggedUnexpected = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * How long the consumer has been retrying transient failures without a pause of more than 30 s between them
     * (the backoff tops out at 10 s): a registry that refuses the service's credentials, an output topic that
     * refuses every write, Pusher down. Read by the health indicator (ListenerContainersHealth).
     */
    static final class Stuck {
        private static final long QUIET_NANOS = 30_000_000_000L;
        private long since = -1;
        private long last = -1;
        private String reason;

        synchronized void failed(String reason) {
            long now = System.nanoTime();
            if (since < 0 || now - last > QUIET_NANOS) {
                since = now;
            }
            last = now;
            this.reason = reason;
        }

        /** Nanoseconds of the current streak of retries, 0 when there is none. */
        synchronized long streakNanos() {
            long now = System.nanoTime();
            return since < 0 || now - last > QUIET_NANOS ? 0 : now - since;
        }

        synchronized String reason() {
            return reason;
        }
    }

    Stuck stuck() {
        return stuck;
    }

    /**
     * @param stage the stage that writes these dead letters ({@code router}, {@code publisher})
     * @param deadLetterTopic where failed records go
     * @param reason the reason code for a failure (a bounded set: it labels metrics too)
     */
    public DeadLetterPolicy(String stage, String deadLetterTopic, Function<Throwable, String> reason) {
        this.stage = stage;
        this.deadLetterTopic = deadLetterTopic;
        this.reason = reason;
    }

    /** Headers to add beside the reason, from the failure. */
    public DeadLetterPolicy extraHeaders(BiConsumer<Throwable, Headers> extraHeaders) {
        this.extraHeaders = extraHeaders;
        return this;
    }

    /** What a stage does once Kafka acknowledged a dead letter. */
    @FunctionalInterface
    public interface DeadLettered {
        /**
         * @param record the record that was dead-lettered
         * @param reason its reason code
         * @param failure what failed ({@link #reasonText} gives the text the header carries)
         */
        void accept(ConsumerRecord<?, ?> record, String reason, Throwable failure);
    }

    /**
     * Called once per dead letter that Kafka acknowledged, with the reason and the failure: the place for a metric
     * and a ledger receipt.
     */
    public DeadLetterPolicy onDeadLetter(DeadLettered onDeadLetter) {
        this.onDeadLetter = onDeadLetter;
        return this;
    }

    /** How to read the event id from a decoded record value (null when it has none). */
    public DeadLetterPolicy eventId(Function<Object, String> eventId) {
        this.eventId = eventId;
        return this;
    }

    /** Failures that retrying cannot fix (bad data): dead-lettered at once when they reach the error handler. */
    @SafeVarargs
    public final DeadLetterPolicy notRetryable(Class<? extends Exception>... types) {
        notRetryable.addAll(List.of(types));
        return this;
    }

    public String deadLetterTopic() {
        return deadLetterTopic;
    }

    /** The error handler for the service's listener container. */
    public DefaultErrorHandler errorHandler(
            KafkaTemplate<Object, Object> template, KafkaProperties kafkaProperties, BackOff backOff) {
        return errorHandler(recoverer(template, kafkaProperties), backOff);
    }

    /**
     * The error handler for the service's listener container, dead-lettering through {@code recoverer}: transient
     * failures are retried from the failing record without end; others on {@code backOff}, then dead-lettered.
     */
    public DefaultErrorHandler errorHandler(DeadLetterPublishingRecoverer recoverer, BackOff backOff) {
        DefaultErrorHandler handler = new DefaultErrorHandler(recoverer, backOff);
        notRetryable.forEach(handler::addNotRetryableExceptions);
        // found first in the cause chain, so a transient failure wrapping a data exception is still retried
        handler.addRetryableExceptions(TransientFailure.class);
        BackOff untilItWorks = untilItWorks();
        handler.setBackOffFunction((record, e) -> {
            if (!isTransient(e)) {
                unexpected(e);
                return null;
            }
            stuck.failed(reasonText(e));
            return untilItWorks;
        });
        // the listener says what failed in one line; the handler's own ERROR with a stack trace per retry
        // flooded the logs (150 bad rows wrote about 9,000 lines)
        handler.setLogLevel(KafkaException.Level.DEBUG);
        return handler;
    }

    /**
     * A failure the service did not expect reaches the error handler (whose own logging is quiet, see above): its
     * stack trace is logged once per kind, so a bug is visible without a line per retry.
     */
    private void unexpected(Exception e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (loggedUnexpected.size() < 100
                && loggedUnexpected.add(root.getClass().getName())) {
            log.error("unexpected failure in the {} listener; retried, then dead-lettered", stage, e);
        }
    }

    /** 200 ms doubling to 10 s, without end. */
    static BackOff untilItWorks() {
        ExponentialBackOff backOff = new ExponentialBackOff(200, 2.0);
        backOff.setMaxInterval(10_000);
        backOff.setMaxElapsedTime(Long.MAX_VALUE);
        return backOff;
    }

    /** True for failures outside the record's data: retried, never dead-lettered. */
    public static boolean isTransient(Throwable e) {
        if (find(e, TransientFailure.class) != null) {
            return true;
        }
        WireFormatException wire = find(e, WireFormatException.class);
        return wire != null && wire.isTransient();
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
        DefaultKafkaProducerFactory<Object, byte[]> raw = new DefaultKafkaProducerFactory<>(rawConfig);
        factories.add(raw);
        Map<Class<?>, KafkaOperations<?, ?>> templates = new LinkedHashMap<>();
        // undecodable records arrive as their raw bytes; everything else is re-serialized as it was read
        templates.put(byte[].class, new KafkaTemplate<>(raw));
        templates.put(Object.class, template);
        // partition -1: the producer picks it by key, so the dead-letter topic needs no particular partition count
        DeadLetterPublishingRecoverer recoverer =
                new DeadLetterPublishingRecoverer(templates, (record, e) -> new TopicPartition(deadLetterTopic, -1)) {
                    @Override
                    public void accept(ConsumerRecord<?, ?> record, Consumer<?, ?> consumer, Exception e) {
                        super.accept(record, consumer, e); // throws when Kafka did not acknowledge the write
                        String code = reason.apply(e);
                        onDeadLetter.accept(record, code, e);
                        log.warn(
                                "dead-lettered event {} from {}-{}@{} to {}: {} ({})",
                                eventIdForLog(record),
                                record.topic(),
                                record.partition(),
                                record.offset(),
                                deadLetterTopic,
                                code,
                                reasonText(e));
                    }
                };
        recoverer.setFailIfSendResultIsError(true);
        recoverer.setHeadersFunction((record, e) -> {
            RecordHeaders headers = new RecordHeaders();
            DeadLetterHeaders.add(headers, stage, reason.apply(e), reasonText(e), eventIdOf(record));
            extraHeaders.accept(e, headers);
            return headers;
        });
        return recoverer;
    }

    private String eventIdOf(ConsumerRecord<?, ?> record) {
        Object value = record.value();
        if (value == null || value instanceof byte[]) {
            return null;
        }
        try {
            return eventId.apply(value);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private String eventIdForLog(ConsumerRecord<?, ?> record) {
        String id = eventIdOf(record);
        return id == null ? "(undecodable)" : id;
    }

    /**
     * The reason in words: the message of the first failure in the chain that is not one of spring-kafka's
     * wrappers (whose message is a generic "listener failed" or "failed to deserialize").
     */
    public static String reasonText(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ListenerExecutionFailedException
                    || t instanceof BatchListenerFailedException
                    || t instanceof TimestampedException
                    || (t instanceof DeserializationException && t.getCause() != null)) {
                continue; // wrappers whose own message is generic ("failed to deserialize")
            }
            if (t.getMessage() != null) {
                return t.getMessage();
            }
        }
        return e.getClass().getSimpleName();
    }

    /** The first cause of {@code type} in the chain, or null. */
    public static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    @Override
    public void close() {
        factories.forEach(DefaultKafkaProducerFactory::destroy);
        factories.clear();
    }
}
