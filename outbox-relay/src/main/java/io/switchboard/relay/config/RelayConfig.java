package io.switchboard.relay.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.kafka.TopicSettings;
import io.switchboard.relay.outbox.JdbcOutboxSource;
import io.switchboard.relay.outbox.OutboxTable;
import io.switchboard.relay.outbox.OutboxWriter;
import io.switchboard.relay.relay.KafkaEventSink;
import io.switchboard.relay.relay.OutboxEventMapper;
import io.switchboard.relay.relay.OutboxRelay;
import io.switchboard.relay.relay.RelayLoop;
import io.switchboard.relay.relay.RelayMetrics;
import io.switchboard.schemas.RealtimeEvent;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;

/** Wiring of the relay: the table, the Kafka sink and the loop. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TopicSettings.class)
public class RelayConfig {

    @Bean
    OutboxTable outboxTable(RelayProperties properties) {
        return new OutboxTable(properties.table());
    }

    @Bean
    OutboxWriter outboxWriter(JdbcTemplate jdbc, OutboxTable table) {
        return new OutboxWriter(jdbc, table);
    }

    @Bean
    NewTopic eventsTopic(RelayProperties properties, TopicSettings topics) {
        return topics.topic(properties.topic());
    }

    @Bean
    NewTopic eventsDeadLetterTopic(RelayProperties properties, TopicSettings topics) {
        return topics.topic(properties.deadLetterTopic());
    }

    @Bean
    KafkaEventSink eventSink(
            KafkaTemplate<String, RealtimeEvent> events, KafkaProperties kafka, RelayProperties properties) {
        Map<String, Object> raw = new LinkedHashMap<>(kafka.buildProducerProperties());
        raw.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        KafkaTemplate<String, byte[]> deadLetters = new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(raw));
        return new KafkaEventSink(events, deadLetters, properties.topic(), properties.deadLetterTopic());
    }

    @Bean
    RelayLoop relayLoop(
            JdbcTemplate jdbc,
            OutboxTable table,
            KafkaEventSink sink,
            RelayProperties properties,
            MeterRegistry registry) {
        OutboxRelay relay = new OutboxRelay(
                new JdbcOutboxSource(jdbc, table),
                new OutboxEventMapper(properties.defaultSource(), properties.maxPayloadBytes()),
                sink,
                properties.batchSize(),
                properties.ackTimeout());
        return new RelayLoop(relay, new RelayMetrics(registry), properties.pollInterval(), properties.maxBackoff());
    }
}
