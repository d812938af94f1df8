package io.switchboard.router.config;

import io.switchboard.kafka.DeadLetterPolicy;
import io.switchboard.kafka.TopicSettings;
import io.switchboard.router.guard.ProgressGuard;
import io.switchboard.router.ingest.RouterMetrics;
import io.switchboard.router.routing.ChannelRouter;
import io.switchboard.router.routing.EventRouter;
import io.switchboard.router.routing.RoutingException;
import io.switchboard.router.routing.RoutingTable;
import io.switchboard.router.truncation.PayloadTruncator;
import io.switchboard.schemas.wire.WireFormatException;
import java.time.Clock;
import org.apache.kafka.clients.admin.NewTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.util.backoff.FixedBackOff;

/** Wiring of the routing core and of Kafka: topics, and the failure policy. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TopicSettings.class)
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

    @Bean
    EventRouter eventRouter(RoutingTable table, RouterProperties properties, Clock clock) {
        return new EventRouter(
                new ChannelRouter(table, properties.usePrivateChannels()),
                new PayloadTruncator(properties.maxPayloadBytes()),
                new ProgressGuard(properties.progressGuardCapacity()),
                clock);
    }

    @Bean
    NewTopic publishTopic(RouterProperties properties, TopicSettings topics) {
        return topics.topic(properties.outputTopic());
    }

    @Bean
    NewTopic eventsDeadLetterTopic(RouterProperties properties, TopicSettings topics) {
        return topics.topic(properties.deadLetterTopic());
    }

    /**
     * Data errors (bytes that are not a RealtimeEvent, events that cannot be routed) go to realtime.events.dlq at
     * once; anything else (Kafka unavailable) is retried 5 times a second apart, then dead-lettered as
     * RETRIES_EXHAUSTED, so one record never blocks its partition for good.
     */
    @Bean
    DefaultErrorHandler errorHandler(
            KafkaTemplate<Object, Object> template,
            KafkaProperties kafkaProperties,
            RouterProperties properties,
            RouterMetrics metrics) {
        return new DeadLetterPolicy(properties.deadLetterTopic(), KafkaConfig::reason)
                .onDeadLetter((record, reason) -> metrics.deadLettered(reason))
                .notRetryable(RoutingException.class, WireFormatException.class, DeserializationException.class)
                .errorHandler(template, kafkaProperties, new FixedBackOff(1000L, 5));
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
