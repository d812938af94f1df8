package io.switchboard.publisher.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.kafka.DeadLetterPolicy;
import io.switchboard.kafka.TopicSettings;
import io.switchboard.kafka.ledger.Ledger;
import io.switchboard.kafka.ledger.LedgerSettings;
import io.switchboard.kafka.ledger.Ledgers;
import io.switchboard.kafka.ledger.Receipts;
import io.switchboard.publisher.ingest.ChannelPublishListener;
import io.switchboard.publisher.ingest.OrderedDelivery;
import io.switchboard.publisher.ingest.PublishFailedException;
import io.switchboard.publisher.ingest.PublisherMetrics;
import io.switchboard.schemas.ChannelPublish;
import io.switchboard.schemas.DeliveryReceipt;
import io.switchboard.schemas.wire.WireFormatException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ContainerCustomizer;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Topics, the listener and the one failure policy of the publisher. The listener settles every record itself:
 * Pusher's answers through OrderedDelivery (retried through resilience4j, then dead-lettered through
 * {@link #deadLetters}), undecodable records dead-lettered at once. What reaches the error handler is either a
 * {@link io.switchboard.kafka.TransientFailure} at the first unsettled record (the circuit breaker is open, Pusher
 * still rate-limits after the retries, a dead-letter write failed, the schema registry is unreachable: the records before it are committed, it and the
 * rest are consumed again after a backoff, for as long as it takes, never dead-lettered) or an unexpected failure
 * (retried with backoff for two minutes, then dead-lettered as UNEXPECTED).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({TopicSettings.class, LedgerSettings.class})
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

    /**
     * Creates the dead-letter topic when it is missing and leaves an existing one as it is. Not a NewTopic bean:
     * Spring's KafkaAdmin adds partitions to an existing topic that has fewer than the NewTopic says, and a
     * dead-letter topic may rightly have fewer partitions than the source (dead letters go where the producer puts
     * them). When the broker cannot be reached this only warns: a dead letter that cannot be written is retried.
     */
    @Bean
    SmartInitializingSingleton publishDeadLetterTopic(
            KafkaAdmin kafkaAdmin, PublisherProperties properties, TopicSettings topics, LedgerSettings ledger) {
        return ledger.enabled()
                ? topics.createMissing(kafkaAdmin, properties.deadLetterTopic(), ledger.topic())
                : topics.createMissing(kafkaAdmin, properties.deadLetterTopic());
    }

    /** The delivery ledger (docs/ledger.md); a KafkaLedger is closed with the context, after the listener. */
    @Bean
    Ledger ledger(KafkaProperties kafkaProperties, LedgerSettings settings, MeterRegistry meters) {
        return Ledgers.create(kafkaProperties.buildProducerProperties(), settings, meters);
    }

    /** A bean, so that Spring closes it (and the producer it makes for raw bytes) with the context. */
    @Bean(destroyMethod = "close")
    DeadLetterPolicy deadLetterPolicy(
            PublisherProperties properties, PublisherMetrics metrics, Ledger ledger, Clock clock) {
        return new DeadLetterPolicy("publisher", properties.deadLetterTopic(), KafkaConfig::reason)
                .eventId(value -> ((ChannelPublish) value).getEventId())
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
                // called only once Kafka acknowledged the dead letter
                .onDeadLetter((record, reason, failure) -> {
                    metrics.deadLettered(reason);
                    if (record.value() instanceof ChannelPublish publish) {
                        ledger.write(deadLetterReceipt(record, publish, reason, failure, clock));
                    }
                });
    }

    @SuppressWarnings("unchecked")
    private static DeliveryReceipt deadLetterReceipt(
            ConsumerRecord<?, ?> record, ChannelPublish publish, String reason, Throwable failure, Clock clock) {
        PublishFailedException publishFailure = DeadLetterPolicy.find(failure, PublishFailedException.class);
        Receipts.Draft receipt = OrderedDelivery.receipt(
                        (ConsumerRecord<?, ChannelPublish>) record, Receipts.Outcome.DEAD_LETTERED, clock)
                .setChannels(publish.getChannels())
                .setReason(reason);
        if (publishFailure != null) {
            receipt.setAttempts(publishFailure.result().attempts())
                    .setHttpStatus(publishFailure.outcome().httpStatus())
                    .setDetail(publishFailure.getMessage());
        } else {
            receipt.setDetail(DeadLetterPolicy.reasonText(failure));
        }
        return receipt.build();
    }

    @Bean
    DeadLetterPublishingRecoverer deadLetters(
            DeadLetterPolicy policy, KafkaTemplate<Object, Object> template, KafkaProperties kafkaProperties) {
        return policy.recoverer(template, kafkaProperties);
    }

    @Bean
    ChannelPublishListener channelPublishListener(OrderedDelivery delivery, DeadLetterPublishingRecoverer deadLetters) {
        return new ChannelPublishListener(delivery, deadLetters);
    }

    /** Transient failures are retried from the first unsettled record without end (DeadLetterPolicy). */
    @Bean
    DefaultErrorHandler errorHandler(DeadLetterPolicy policy, DeadLetterPublishingRecoverer deadLetters) {
        ExponentialBackOff unexpected = new ExponentialBackOff(500, 2.0);
        unexpected.setMaxInterval(10_000);
        unexpected.setMaxElapsedTime(120_000);
        return policy.errorHandler(deadLetters, unexpected);
    }

    static String reason(Throwable e) {
        PublishFailedException failure = DeadLetterPolicy.find(e, PublishFailedException.class);
        if (failure != null) {
            if (failure.encryptionKeyMissing()) {
                return "ENCRYPTION_KEY_MISSING";
            }
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
