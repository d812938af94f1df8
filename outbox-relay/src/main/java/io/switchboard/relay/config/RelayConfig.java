package io.switchboard.relay.config;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.kafka.TopicSettings;
import io.switchboard.kafka.tracing.EventTracing;
import io.switchboard.relay.health.BacklogSampler;
import io.switchboard.relay.health.RelayHealthIndicator;
import io.switchboard.relay.health.RelayMetrics;
import io.switchboard.relay.lock.DatabaseReplicaLock;
import io.switchboard.relay.lock.LockName;
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
import io.switchboard.relay.sink.TracingEventSink;
import io.switchboard.schemas.RealtimeEvent;
import io.switchboard.schemas.wire.AvroSerializer;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaAdmin;
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
        return properties.outboxTable();
    }

    @Bean
    OutboxDialect outboxDialect(DataSource dataSource) {
        return OutboxDialect.of(dataSource);
    }

    /**
     * One set of migrations per dialect (MariaDB runs MySQL's). A qualified table ({@code schema.table}) is migrated
     * with that schema as Flyway's default (created when missing, and holding the history table), so the names the
     * migrations derive from the table (constraint, trigger, function, NOTIFY channel) stay plain identifiers.
     */
    /**
     * Flyway's history table of an outbox table. One history per outbox table: with one history per schema, the
     * migrations of a second outbox table in the same schema were taken as already applied (they had run for the
     * first one), and its table was never created. The default table keeps the name earlier versions used.
     */
    static String historyTable(String outboxTable) {
        if ("switchboard_outbox".equals(outboxTable)) {
            return "switchboard_flyway_history";
        }
        String name = outboxTable + "_flyway_history";
        // identifiers stop at 63 characters on Postgres and 64 on MySQL
        return name.length() <= 63
                ? name
                : "switchboard_flyway_" + Integer.toHexString(outboxTable.hashCode()) + "_history";
    }

    /**
     * Stops start-up when the outbox table is missing after the migrations, with what to do: Flyway's history says
     * they ran (an older version shared one history between outbox tables), so it will not create the table again.
     */
    @Bean
    SmartInitializingSingleton outboxTableExists(JdbcTemplate jdbc, OutboxTable table) {
        return () -> {
            try {
                jdbc.queryForList("SELECT 1 FROM " + table.qualifiedName() + " WHERE 1 = 0");
            } catch (DataAccessException e) {
                throw new IllegalStateException("the outbox table " + table.qualifiedName()
                        + " does not exist although Flyway's history " + historyTable(table.name())
                        + " says its migrations ran: drop that history table (it holds only Switchboard's"
                        + " migrations) and start again, so they run once more");
            }
        };
    }

    @Bean
    FlywayConfigurationCustomizer outboxMigrations(OutboxDialect dialect, OutboxTable table) {
        return configuration -> {
            configuration.locations(
                    "classpath:db/migration/" + (dialect == OutboxDialect.POSTGRES ? "postgresql" : "mysql"));
            configuration.placeholders(Map.of("outbox_table", table.name()));
            configuration.table(historyTable(table.name()));
            if (table.schema() != null) {
                configuration.schemas(table.schema());
            }
        };
    }

    @Bean
    OutboxWriter outboxWriter(JdbcTemplate jdbc, OutboxTable table, OutboxDialect dialect) {
        return new OutboxWriter(jdbc, table, dialect);
    }

    /** realtime.events and its dead-letter topic, each created only if missing (TopicSettings says why). */
    @Bean
    SmartInitializingSingleton relayTopics(KafkaAdmin kafkaAdmin, RelayProperties properties, TopicSettings topics) {
        return topics.createMissing(kafkaAdmin, properties.topic(), properties.deadLetterTopic());
    }

    /** The relay's one producer, for events and dead letters; the sink closes it when the context closes. */
    @Bean
    KafkaEventSink eventSink(KafkaProperties kafka, RelayProperties properties, OutboxTable table) {
        Map<String, Object> config = new LinkedHashMap<>(kafka.buildProducerProperties());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        Object maxRequest = config.getOrDefault(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1_048_576);
        if (properties.maxRecordBytes() > Integer.parseInt(maxRequest.toString())) {
            throw new IllegalArgumentException("switchboard.outbox.max-record-bytes (" + properties.maxRecordBytes()
                    + ") is over the producer's max.request.size (" + maxRequest
                    + "): lower it, or raise spring.kafka.producer.properties.max.request.size");
        }
        AvroSerializer<RealtimeEvent> avro = new AvroSerializer<>();
        avro.configure(config, false);
        return new KafkaEventSink(
                new KafkaProducer<>(config),
                avro,
                properties.topic(),
                properties.deadLetterTopic(),
                table,
                properties.maxRecordBytes());
    }

    @Bean
    RelayMetrics relayMetrics(MeterRegistry registry, Clock clock) {
        return new RelayMetrics(registry, clock);
    }

    /** The database lock, or none with {@code single-replica}; closed by the loop when it stops. */
    @Bean(destroyMethod = "")
    ReplicaLock replicaLock(
            DataSource dataSource, OutboxDialect dialect, OutboxTable table, RelayProperties properties, Clock clock) {
        return properties.singleReplica()
                ? ReplicaLock.alwaysHeld()
                : new DatabaseReplicaLock(
                        dataSource,
                        dialect,
                        LockName.resolve(dataSource, dialect, table),
                        clock,
                        properties.lockRecheck());
    }

    @Bean
    RelayLoop relayLoop(
            DataSource dataSource,
            OutboxTable table,
            OutboxDialect dialect,
            KafkaEventSink sink,
            EventTracing tracing,
            ReplicaLock lock,
            RelayProperties properties,
            RelayMetrics metrics,
            MeterRegistry registry,
            Clock clock) {
        // fenced: with a database lock, the relay reads and deletes in the session that holds it
        DataSource work = lock instanceof DatabaseReplicaLock held ? held.fencedDataSource() : dataSource;
        OutboxRelay relay = new OutboxRelay(
                new JdbcOutboxSource(new JdbcTemplate(work), table, dialect),
                new OutboxEventMapper(properties.defaultSource(), properties.maxRecordBytes()),
                new TracingEventSink(sink, tracing),
                metrics,
                properties.batchSize(),
                properties.maxInFlight(),
                properties.ackTimeout(),
                clock);
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
                        properties.standbyRetry(),
                        properties.unhealthyAfter()),
                clock);
        Gauge.builder("switchboard.relay.active", loop, l -> l.active() ? 1 : 0)
                .description("1 when this replica holds the lock and relays, 0 for a standby")
                .register(registry);
        return loop;
    }

    @Bean
    RelayLifecycle relayLifecycle(RelayLoop loop, RelayProperties properties) {
        return new RelayLifecycle(loop, properties.ackTimeout().plus(Duration.ofSeconds(30)));
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
