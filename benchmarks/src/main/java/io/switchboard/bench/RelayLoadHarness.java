package io.switchboard.bench;

import io.switchboard.relay.OutboxRelayApplication;
import io.switchboard.relay.relay.RelayLoop;
import io.switchboard.schemas.RealtimeEvent;
import io.switchboard.schemas.wire.AvroDeserializer;
import io.switchboard.schemas.wire.AvroSerializer;
import io.switchboard.schemas.wire.PinnedSchemaRegistry;
import io.switchboard.testkit.KafkaTestBroker;
import io.switchboard.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.json.JsonMapper;

/**
 * outbox-relay under load, for Postgres and MariaDB, on a real broker:
 * <ul>
 *   <li>backlog: 100,000 committed rows drained, rows/s, beside a plain producer sending the same events (the
 *       Kafka ceiling, same run);
 *   <li>latency: rows committed one by one at a steady 1,000/s for 20 s; commit to Kafka (the broker's
 *       LogAppendTime), p50 and p99, beside a plain producer at the same rate (send to append).
 * </ul>
 * Usage: {@code benchmarks/run.sh relay-load [postgres|mariadb|both] [backlogRows] [latencySeconds]}
 */
public final class RelayLoadHarness {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public static void main(String[] args) throws Exception {
        String which = args.length > 0 ? args[0] : "both";
        int backlog = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        // extra relay arguments after the harness's own (e.g. --switchboard.outbox.batch-size=1000)
        List<String> extra = args.length > 3 ? List.of(args).subList(3, args.length) : List.of();
        String kafka = KafkaTestBroker.bootstrapServers();
        double ceiling = producerRate(kafka, backlog);
        Percentiles baseline = producerLatency(kafka, seconds);
        System.out.printf(
                "baseline producer: %,.0f events/s; at 1,000/s send->append p50 %d ms, p99 %d ms%n",
                ceiling, baseline.p50(), baseline.p99());
        for (TestDatabase.Kind kind : TestDatabase.Kind.values()) {
            if (which.equals("both") || which.equalsIgnoreCase(kind.name())) {
                double rate = drain(kafka, kind, backlog, extra);
                Percentiles latency = latency(kafka, kind, seconds, extra);
                System.out.printf(
                        "RESULT %s: backlog of %,d drained at %,.0f rows/s (%.2f of the producer); commit->Kafka at"
                                + " 1,000 rows/s p50 %d ms, p99 %d ms (producer alone p50 %d ms, p99 %d ms)%n",
                        kind,
                        backlog,
                        rate,
                        rate / ceiling,
                        latency.p50(),
                        latency.p99(),
                        baseline.p50(),
                        baseline.p99());
            }
        }
        System.exit(0);
    }

    private static ConfigurableApplicationContext relay(
            String kafka, TestDatabase db, String topic, List<String> extra) {
        List<String> args = new ArrayList<>(List.of(
                "--spring.kafka.bootstrap-servers=" + kafka,
                "--spring.datasource.url=" + db.jdbcUrl(),
                "--server.port=0",
                "--switchboard.outbox.topic=" + topic,
                "--switchboard.outbox.dead-letter-topic=" + topic + ".dlq",
                "--logging.level.root=WARN"));
        args.addAll(extra);
        return OutboxRelayApplication.builder().run(args.toArray(String[]::new));
    }

    private static double drain(String kafka, TestDatabase.Kind kind, int rows, List<String> extra) throws Exception {
        String topic = "bench-relay-" + UUID.randomUUID();
        try (TestDatabase db = TestDatabase.create(kind)) {
            relay(kafka, db, topic, extra).close(); // creates the table
            insertBacklog(db, rows);
            try (ConfigurableApplicationContext relay = relay(kafka, db, topic, extra)) {
                RelayLoop loop = relay.getBean(RelayLoop.class);
                while (!loop.active()) {
                    LockSupport.parkNanos(1_000_000);
                }
                long start = System.nanoTime();
                while (db.rowCount("switchboard_outbox") > 0) {
                    LockSupport.parkNanos(20_000_000);
                }
                double rate = rows / ((System.nanoTime() - start) / 1e9);
                System.out.printf("%s drain: %,d rows at %,.0f rows/s%n", kind, rows, rate);
                return rate;
            }
        }
    }

    private static void insertBacklog(TestDatabase db, int rows) throws Exception {
        try (Connection c = db.connect();
                Statement s = c.createStatement()) {
            for (int from = 0; from < rows; from += 1000) {
                StringBuilder sql = new StringBuilder(
                        "INSERT INTO switchboard_outbox (type, source, aggregate_type, aggregate_id, payload) VALUES ");
                for (int i = from; i < Math.min(rows, from + 1000); i++) {
                    RealtimeEvent e = SeedEvents.typical(i);
                    sql.append(i == from ? "" : ",")
                            .append("('audit.step_completed','bench','audit','")
                            .append(e.getAggregateId())
                            .append("','")
                            .append(e.getPayload().replace("'", "''"))
                            .append("')");
                }
                s.executeUpdate(sql.toString());
            }
        }
    }

    private static Percentiles latency(String kafka, TestDatabase.Kind kind, int seconds, List<String> extra)
            throws Exception {
        String topic = "bench-latency-" + UUID.randomUUID();
        logAppendTopic(kafka, topic);
        Map<Integer, Long> committedAt = new ConcurrentHashMap<>();
        try (TestDatabase db = TestDatabase.create(kind);
                ConfigurableApplicationContext relay = relay(kafka, db, topic, extra);
                KafkaConsumer<String, byte[]> consumer = consumer(kafka, topic)) {
            int total = seconds * 1000;
            Thread writer = new Thread(() -> {
                try (Connection c = db.connect();
                        var insert = c.prepareStatement("INSERT INTO switchboard_outbox (type, aggregate_id, payload)"
                                + " VALUES ('audit.progress', ?, "
                                + (kind == TestDatabase.Kind.POSTGRES ? "CAST(? AS jsonb))" : "?)"))) {
                    long start = System.nanoTime();
                    for (int i = 0; i < total; i++) {
                        long due = start + i * 1_000_000L;
                        while (System.nanoTime() < due) {
                            LockSupport.parkNanos(due - System.nanoTime());
                        }
                        insert.setString(1, "audit-" + (i % 100));
                        insert.setString(2, "{\"seq\":" + i + "}");
                        insert.executeUpdate(); // autocommit: one commit per row
                        committedAt.put(i, System.currentTimeMillis());
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            writer.start();
            AvroDeserializer<RealtimeEvent> avro =
                    new AvroDeserializer<>(RealtimeEvent.class, PinnedSchemaRegistry.instance());
            long[] latencies = new long[total];
            int seen = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(seconds + 60).toNanos();
            while (seen < total && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    int seq = JSON.readTree(avro.deserialize(topic, r.value()).getPayload())
                            .get("seq")
                            .asInt();
                    Long commit = committedAt.get(seq);
                    latencies[seen++] = commit == null ? 0 : Math.max(0, r.timestamp() - commit);
                }
            }
            writer.join();
            return Percentiles.of(Arrays.copyOf(latencies, seen));
        }
    }

    private static double producerRate(String kafka, int n) throws Exception {
        String topic = "bench-produce-" + UUID.randomUUID();
        try (KafkaProducer<String, RealtimeEvent> producer = producer(kafka)) {
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                RealtimeEvent e = SeedEvents.typical(i);
                producer.send(new ProducerRecord<>(topic, e.getAggregateId(), e));
            }
            producer.flush();
            return n / ((System.nanoTime() - start) / 1e9);
        }
    }

    private static Percentiles producerLatency(String kafka, int seconds) throws Exception {
        String topic = "bench-produce-latency-" + UUID.randomUUID();
        logAppendTopic(kafka, topic);
        List<Long> latencies = new ArrayList<>();
        try (KafkaProducer<String, RealtimeEvent> producer = producer(kafka)) {
            long start = System.nanoTime();
            List<java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata>> sends =
                    new ArrayList<>();
            List<Long> sentAt = new ArrayList<>();
            for (int i = 0; i < seconds * 1000; i++) {
                long due = start + i * 1_000_000L;
                while (System.nanoTime() < due) {
                    LockSupport.parkNanos(due - System.nanoTime());
                }
                RealtimeEvent e = SeedEvents.typical(i);
                sentAt.add(System.currentTimeMillis());
                sends.add(producer.send(new ProducerRecord<>(topic, e.getAggregateId(), e)));
            }
            for (int i = 0; i < sends.size(); i++) {
                latencies.add(Math.max(0, sends.get(i).get().timestamp() - sentAt.get(i)));
            }
        }
        return Percentiles.of(latencies);
    }

    private static void logAppendTopic(String kafka, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1)
                            .configs(Map.of("message.timestamp.type", "LogAppendTime"))))
                    .all()
                    .get();
        }
    }

    private static KafkaProducer<String, RealtimeEvent> producer(String kafka) {
        return new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka,
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.LINGER_MS_CONFIG,
                        5),
                new StringSerializer(),
                new AvroSerializer<>());
    }

    private static KafkaConsumer<String, byte[]> consumer(String kafka, String topic) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka,
                        ConsumerConfig.GROUP_ID_CONFIG, topic,
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(),
                new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }
}
