package io.switchboard.router.config;

import io.switchboard.router.ingest.RouterMetrics;
import io.switchboard.router.routing.ChannelRouter;
import io.switchboard.router.routing.EventRouter;
import io.switchboard.router.routing.RoutingException;
import io.switchboard.router.routing.RoutingTable;
import io.switchboard.schemas.wire.WireFormatException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
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
import org.springframework.util.backoff.FixedBackOff;

/** Wiring of the routing core and of Kafka: topics, the dead-letter recoverer and the failure policy. */
@Configuration(proxyBeanMethods = false)
public class KafkaConfig {

    /** The reason code header on every dead-letter record; the spring-kafka {@code kafka_dlt-*} headers say the rest. */
    public static final String REASON_HEADER = "switchboard-reason";

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

    @Bean
    EventRouter eventRouter(RoutingTable table, RouterProperties properties, Clock clock) {
        return new EventRouter(new ChannelRouter(table, properties.usePrivateChannels()), clock);
    }

    @Bean
    NewTopic publishTopic(
            RouterProperties properties,
            @Value("${switchboard.topics.partitions:3}") int partitions,
            @Value("${switchboard.topics.replication-factor:1}") short replicas) {
        return TopicBuilder.name(properties.outputTopic())
                .partitions(partitions)
                .replicas(replicas)
                .build();
    }

    @Bean
    NewTopic eventsDeadLetterTopic(
            RouterProperties properties,
            @Value("${switchboard.topics.partitions:3}") int partitions,
            @Value("${switchboard.topics.replication-factor:1}") short replicas) {
        return TopicBuilder.name(properties.deadLetterTopic())
                .partitions(partitions)
                .replicas(replicas)
                .build();
    }

    /**
     * The one failure policy: data errors (bytes that are not a RealtimeEvent, events that cannot be routed) go to
     * the dead-letter topic at once, with the reason; anything else (Kafka unavailable) is retried 5 times a second
     * apart, then dead-lettered too, so one record never blocks its partition for good. The offset is committed
     * only after the dead-letter write is acknowledged.
     */
    @Bean
    DefaultErrorHandler errorHandler(
            KafkaTemplate<Object, Object> template,
            KafkaProperties kafkaProperties,
            RouterProperties properties,
            RouterMetrics metrics) {
        Map<String, Object> rawConfig = new LinkedHashMap<>(kafkaProperties.buildProducerProperties());
        rawConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        KafkaTemplate<Object, byte[]> rawTemplate = new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(rawConfig));
        Map<Class<?>, KafkaOperations<?, ?>> templates = new LinkedHashMap<>();
        templates.put(byte[].class, rawTemplate);
        templates.put(Object.class, template);
        DeadLetterPublishingRecoverer recoverer = new DeadLetterPublishingRecoverer(
                templates,
                (record, e) ->
                        new org.apache.kafka.common.TopicPartition(properties.deadLetterTopic(), record.partition()));
        recoverer.setFailIfSendResultIsError(true);
        recoverer.setHeadersFunction((record, e) -> {
            String reason = reason(e);
            metrics.deadLettered(reason);
            log.warn(
                    "dead-lettering {}-{}@{}: {} ({})",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    reason,
                    rootMessage(e));
            RecordHeaders headers = new RecordHeaders();
            headers.add(REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
            return headers;
        });
        DefaultErrorHandler handler = new DefaultErrorHandler(recoverer, new FixedBackOff(1000L, 5));
        handler.addNotRetryableExceptions(RoutingException.class, WireFormatException.class);
        return handler;
    }

    /** The reason code for a failure: the routing or wire-format reason when there is one. */
    static String reason(Throwable e) {
        boolean undecodable = false;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RoutingException r) {
                return r.reason().name();
            }
            if (t instanceof WireFormatException w) {
                return w.reason().name();
            }
            undecodable |= t instanceof DeserializationException;
        }
        return undecodable ? "NOT_DESERIALIZABLE" : "RETRIES_EXHAUSTED";
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
