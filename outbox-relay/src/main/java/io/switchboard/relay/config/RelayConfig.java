package io.switchboard.relay.config;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.kafka.TopicSettings;
import io.switchboard.relay.health.BacklogSampler;
import io.switchboard.relay.health.RelayHealthIndicator;
import io.switchboard.relay.health.RelayMetrics;
import io.switchboard.relay.lock.DatabaseReplicaLock;
import io.switchboard.relay.lock.ReplicaLock;
import io.switchboard.relay.outbox.JdbcOutboxSource;
import io.switchboard.relay.outbox.OutboxDialect;
import io.switchboard.relay.outbox.OutboxTable;
import io.switchboard.relay.outbox.OutboxWriter;
import io.switchboard.relay.outbox.PostgresNotifyWaker;
import io.switchboard.relay.outbox.Waker;
import io.switchboard.relay.relay.OutboxEventMapper;
import io.switchboard.relay.relay.OutboxRelay;
import io.switchboard.relay.relay.RelayLoop;
import io.switchboard.relay.sink.KafkaEventSink;
import io.switchboard.schemas.RealtimeEvent;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Wiring of the relay: the table and its dialect, the Kafka sink, the lock, the waker and the loop. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TopicSettings.class)
@EnableScheduling
public class RelayConfig {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    OutboxTable outboxTable(RelayProperties properties) {
        return new OutboxTable(properties.table());
    }

    @Bean
    OutboxDialect outboxDialect(DataSource dataSource) {
        return OutboxDialect.of(dataSource);
    }

    /** One set of migrations per dialect: MariaDB runs MySQL's. */
    @Bean
    FlywayConfigurationCustomizer outboxMigrations(OutboxDialect dialect) {
        return configuration -> configuration.locations(
                "classpath:db/migration/" + (dialect == OutboxDialect.POSTGRES ? "postgresql" : "mysql"));
    }

    @Bean
    OutboxWriter outboxWriter(JdbcTemplate jdbc, OutboxTable table, OutboxDialect dialect) {
        return new OutboxWriter(jdbc, table, dialect);
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
    RelayMetrics relayMetrics(MeterRegistry registry, Clock clock) {
        return new RelayMetrics(registry, clock);
    }

    @Bean
    RelayLoop relayLoop(
            DataSource dataSource,
            JdbcTemplate jdbc,
            OutboxTable table,
            OutboxDialect dialect,
            KafkaEventSink sink,
            RelayProperties properties,
            RelayMetrics metrics,
            MeterRegistry registry,
            Clock clock) {
        OutboxRelay relay = new OutboxRelay(
                new JdbcOutboxSource(jdbc, table, dialect),
                new OutboxEventMapper(properties.defaultSource(), properties.maxPayloadBytes()),
                sink,
                properties.batchSize(),
                properties.maxInFlight(),
                properties.ackTimeout(),
                clock);
        ReplicaLock lock = properties.singleReplica()
                ? ReplicaLock.alwaysHeld()
                : new DatabaseReplicaLock(
                        dataSource, dialect, "switchboard-outbox:" + table.name(), clock, properties.lockRecheck());
        Waker waker = dialect == OutboxDialect.POSTGRES && properties.listenNotify()
                ? new PostgresNotifyWaker(dataSource, table.name())
                : Waker.polling();
        RelayLoop loop = new RelayLoop(
                relay,
                lock,
                waker,
                metrics,
                new RelayLoop.Timing(
                        properties.pollInterval(),
                        properties.maxPollInterval(),
                        properties.maxBackoff(),
                        properties.standbyRetry()),
                clock);
        Gauge.builder("switchboard.relay.active", loop, l -> l.active() ? 1 : 0)
                .description("1 when this replica holds the lock and relays, 0 for a standby")
                .register(registry);
        return loop;
    }

    @Bean
    BacklogSampler backlogSampler(JdbcTemplate jdbc, OutboxTable table, RelayLoop loop, RelayMetrics metrics) {
        return new BacklogSampler(jdbc, table, loop, metrics);
    }

    @Bean
    RelayHealthIndicator outboxRelayHealthIndicator(RelayLoop loop, OutboxTable table, OutboxDialect dialect) {
        return new RelayHealthIndicator(loop, table, dialect);
    }
}
