package io.switchboard.router.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.kafka.DeadLetterPolicy;
import io.switchboard.kafka.TopicSettings;
import io.switchboard.kafka.ledger.Ledger;
import io.switchboard.kafka.ledger.LedgerSettings;
import io.switchboard.kafka.ledger.Ledgers;
import io.switchboard.kafka.ledger.Receipts;
import io.switchboard.router.guard.InMemoryProgressStore;
import io.switchboard.router.guard.ProgressGuard;
import io.switchboard.router.guard.ProgressStore;
import io.switchboard.router.guard.RedisProgressStore;
import io.switchboard.router.ingest.RouterMetrics;
import io.switchboard.router.routing.ChannelRouter;
import io.switchboard.router.routing.EventRouter;
import io.switchboard.router.routing.RoutingException;
import io.switchboard.router.routing.RoutingTable;
import io.switchboard.router.truncation.PayloadTruncator;
import io.switchboard.schemas.RealtimeEvent;
import io.switchboard.schemas.wire.WireFormatException;
import java.time.Clock;
import java.util.Collection;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.util.backoff.FixedBackOff;

/** Wiring of the routing core and of Kafka: topics, the progress guard's store, and the failure policy. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({TopicSettings.class, LedgerSettings.class})
public class KafkaConfig {

    private static final Logger log = LoggerFactory.getLogger(KafkaConfig.class);

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    RoutingTable routingTable(RouterProperties properties) {
        RoutingTable table = RoutingTable.load(properties.routes(), properties.usePrivateChannels());
        log.info(
                "routing with {} rules from {}, private- prefix {}",
                table.rules().size(),
                properties.routes() == null ? "the built-in table" : properties.routes(),
                properties.usePrivateChannels() ? "on" : "off");
        return table;
    }

    /**
     * Redis when {@code REDIS_URL} is set (shared by every instance, kept across rebalances and restarts), else this
     * instance's memory (a partition's state forgotten when it is revoked).
     */
    @Bean
    ProgressStore progressStore(
            @Value("${REDIS_URL:}") String redisUrl,
            RouterProperties properties,
            ObjectProvider<StringRedisTemplate> redis) {
        if (redisUrl.isBlank()) {
            log.info(
                    "progress guard in memory ({} runs at most); set REDIS_URL to share it between instances",
                    properties.progressGuardCapacity());
            return new InMemoryProgressStore(properties.progressGuardCapacity());
        }
        log.info("progress guard in Redis, runs kept {} after their last change", properties.progressGuardTtl());
        return new RedisProgressStore(redis.getObject(), properties.progressGuardTtl());
    }

    @Bean
    ProgressGuard progressGuard(ProgressStore store, RouterMetrics metrics) {
        return new ProgressGuard(store, e -> metrics.guardUnavailable());
    }

    /** Revoked partitions are forgotten by an in-memory guard, so they are never judged on stale values later. */
    @Bean
    ConsumerAwareRebalanceListener forgetRevokedPartitions(ProgressStore store) {
        return new ConsumerAwareRebalanceListener() {
            @Override
            public void onPartitionsRevokedAfterCommit(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
                store.revoked(partitions.stream().map(TopicPartition::partition).toList());
            }

            @Override
            public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
                store.revoked(partitions.stream().map(TopicPartition::partition).toList());
            }
        };
    }

    @Bean
    EventRouter eventRouter(RoutingTable table, RouterProperties properties, ProgressGuard guard, Clock clock) {
        return new EventRouter(
                new ChannelRouter(table, properties.usePrivateChannels()),
                new PayloadTruncator(properties.maxPayloadBytes()),
                guard,
                clock);
    }

    /** The output and dead-letter topics, each created only if missing (TopicSettings says why). */
    @Bean
    SmartInitializingSingleton routerTopics(
            KafkaAdmin kafkaAdmin, RouterProperties properties, TopicSettings topics, LedgerSettings ledger) {
        return ledger.enabled()
                ? topics.createMissing(
                        kafkaAdmin, properties.outputTopic(), properties.deadLetterTopic(), ledger.topic())
                : topics.createMissing(kafkaAdmin, properties.outputTopic(), properties.deadLetterTopic());
    }

    /** The delivery ledger (docs/ledger.md): receipts for policy drops and dead letters. */
    @Bean
    Ledger ledger(KafkaProperties kafkaProperties, LedgerSettings settings, MeterRegistry meters) {
        return Ledgers.create(kafkaProperties.buildProducerProperties(), settings, meters);
    }

    /** A bean, so that Spring closes it (and the producer it makes for raw bytes) with the context. */
    @Bean(destroyMethod = "close")
    DeadLetterPolicy deadLetterPolicy(RouterProperties properties, RouterMetrics metrics, Ledger ledger, Clock clock) {
        return new DeadLetterPolicy("router", properties.deadLetterTopic(), KafkaConfig::reason)
                .eventId(value -> ((RealtimeEvent) value).getEventId())
                .onDeadLetter((record, reason, failure) -> {
                    metrics.deadLettered(reason);
                    if (record.value() instanceof RealtimeEvent event) { // undecodable records have no event id
                        ledger.write(Receipts.about(
                                        record,
                                        event.getEventId(),
                                        Receipts.ROUTER,
                                        Receipts.Outcome.DEAD_LETTERED,
                                        clock.instant())
                                .setType(event.getType())
                                .setCommittedAt(event.getOccurredAt())
                                .setReason(reason)
                                .setDetail(DeadLetterPolicy.reasonText(failure))
                                .build());
                    }
                });
    }

    /** Writes dead letters; the listener calls it for each record that cannot be routed. */
    @Bean
    DeadLetterPublishingRecoverer deadLetters(
            DeadLetterPolicy policy, KafkaTemplate<Object, Object> template, KafkaProperties kafkaProperties) {
        return policy.recoverer(template, kafkaProperties);
    }

    /**
     * What reaches the error handler: a transient failure (output or registry unavailable), consumed again from the
     * failing record without end; or an unexpected failure, retried 5 times a second apart, then dead-lettered as
     * RETRIES_EXHAUSTED, so one record never blocks its partition for good.
     */
    @Bean
    DefaultErrorHandler errorHandler(DeadLetterPolicy policy, DeadLetterPublishingRecoverer deadLetters) {
        return policy.errorHandler(deadLetters, new FixedBackOff(1000L, 5));
    }

    /** The reason code: the most specific routing or wire-format reason anywhere in the chain. */
    static String reason(Throwable e) {
        RoutingException routing = DeadLetterPolicy.find(e, RoutingException.class);
        if (routing != null) {
            return routing.reason().name();
        }
        WireFormatException wire = DeadLetterPolicy.find(e, WireFormatException.class);
        if (wire != null) {
            return wire.reason().name();
        }
        return DeadLetterPolicy.find(e, DeserializationException.class) != null
                ? "NOT_DESERIALIZABLE"
                : "RETRIES_EXHAUSTED";
    }
}
