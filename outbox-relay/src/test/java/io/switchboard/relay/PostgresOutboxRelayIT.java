package io.switchboard.relay;

import static io.switchboard.testkit.KafkaTestClient.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.relay.lock.DatabaseReplicaLock;
import io.switchboard.relay.lock.ReplicaLock;
import io.switchboard.relay.outbox.OutboxWriter;
import io.switchboard.relay.outbox.OutboxWriter.OutboxMessage;
import io.switchboard.relay.relay.RelayLoop;
import io.switchboard.schemas.RealtimeEvent;
import io.switchboard.schemas.wire.AvroDeserializer;
import io.switchboard.schemas.wire.PinnedSchemaRegistry;
import io.switchboard.testkit.KafkaTestClient;
import io.switchboard.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.json.JsonMapper;

/** outbox-relay on the machine's Postgres (LISTEN/NOTIFY, pg_try_advisory_lock). */
class PostgresOutboxRelayIT extends AbstractOutboxRelayIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final AvroDeserializer<RealtimeEvent> AVRO =
            new AvroDeserializer<>(RealtimeEvent.class, PinnedSchemaRegistry.instance());

    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRES;
    }

    /**
     * The relay listens while the outbox is drained, so a notification wakes it at once; while rows keep coming it
     * stops listening and polls, since a listener is woken by every notifying commit (that tripled the p99 on this
     * machine, docs/benchmarks.md).
     */
    @Test
    void listensWhileDrainedAndPollsWhileRowsKeepComing() throws Exception {
        // polling alone would take 30 s to notice a row once the relay is idle
        ConfigurableApplicationContext relay = startRelay("--switchboard.outbox.max-poll-interval=30s");
        OutboxWriter writer = relay.getBean(OutboxWriter.class);
        try (Connection c = db.connect();
                Statement admin = c.createStatement();
                KafkaTestClient events = KafkaTestClient.subscribe(kafka, "realtime.events")) {
            await().atMost(Duration.ofSeconds(20)).until(() -> "LISTEN".equals(listenerState(admin)));

            String key = "audit-" + UUID.randomUUID();
            long start = System.nanoTime();
            writer.write(OutboxMessage.of("audit.progress", "audit", key, "{\"audit_id\":\"" + key + "\"}"));
            events.withKey(key, 1, Duration.ofSeconds(10));
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .as("woken by the notification, not the 30 s poll")
                    .isLessThan(Duration.ofSeconds(2));

            Set<String> statesWhileFlowing = ConcurrentHashMap.newKeySet();
            String flowing = "audit-" + UUID.randomUUID();
            AtomicInteger written = new AtomicInteger();
            ScheduledExecutorService pace = Executors.newSingleThreadScheduledExecutor();
            try {
                pace.scheduleAtFixedRate(
                        () -> { // a row every 5 ms for 1.5 s
                            int i = written.get();
                            if (i >= 300) {
                                return;
                            }
                            writer.write(OutboxMessage.of(
                                    "audit.progress", "audit", flowing, "{\"completed_steps\":" + i + "}"));
                            if (i % 10 == 0) {
                                try {
                                    statesWhileFlowing.add(listenerState(admin));
                                } catch (Exception e) {
                                    throw new IllegalStateException(e);
                                }
                            }
                            written.incrementAndGet();
                        },
                        0,
                        5,
                        TimeUnit.MILLISECONDS);
                await().atMost(Duration.ofSeconds(30)).until(() -> written.get() >= 300);
            } finally {
                pace.shutdownNow();
            }
            assertThat(statesWhileFlowing).contains("UNLISTEN");
            events.withKey(flowing, 300, Duration.ofSeconds(30));
            await().atMost(Duration.ofSeconds(10)).until(() -> "LISTEN".equals(listenerState(admin)));
        }
    }

    /**
     * Issue 13: a holder whose host vanished (a network cut) kept the lock until the operating system's keepalive
     * gave up on its session, over two hours on Linux. The lock's session now has the server probe the relay's host
     * every few seconds, so such a lock is dropped in about 25 s.
     */
    @Test
    void theLockSessionHasTheServerProbeTheRelayHostWithKeepalives() throws Exception {
        ConfigurableApplicationContext relay = startRelay();
        await().atMost(Duration.ofSeconds(10)).until(relay.getBean(RelayLoop.class)::active);
        DatabaseReplicaLock lock = (DatabaseReplicaLock) relay.getBean(ReplicaLock.class);
        Map<String, String> settings = new HashMap<>();
        try (Connection c = lock.fencedDataSource().getConnection();
                Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                assertThat(rs.getString(1)).as("the lock's own session").isEqualTo(lock.session());
            }
            try (ResultSet rs =
                    s.executeQuery("SELECT name, setting FROM pg_settings WHERE name LIKE 'tcp\\_keepalives\\_%'")) {
                while (rs.next()) {
                    settings.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        assertThat(settings)
                .containsEntry("tcp_keepalives_idle", "10")
                .containsEntry("tcp_keepalives_interval", "5")
                .containsEntry("tcp_keepalives_count", "3");
    }

    /** LISTEN or UNLISTEN: the last statement of the relay's listening session (it runs no other). */
    private static String listenerState(Statement admin) throws Exception {
        try (ResultSet rs = admin.executeQuery("SELECT query FROM pg_stat_activity WHERE datname = current_database()"
                + " AND (query LIKE 'LISTEN%' OR query LIKE 'UNLISTEN%') AND pid <> pg_backend_pid()")) {
            return rs.next() ? rs.getString(1).split(" ")[0] : "NONE";
        }
    }

    @Override
    protected void killSession(Statement admin, String session) throws Exception {
        try (ResultSet rs = admin.executeQuery("SELECT pg_terminate_backend(" + Integer.parseInt(session) + ")")) {
            assertThat(rs.next() && rs.getBoolean(1))
                    .as("session %s terminated", session)
                    .isTrue();
        }
    }

    @Override
    protected boolean listening(String table) throws Exception {
        try (Connection c = db.connect();
                Statement admin = c.createStatement()) {
            return "LISTEN".equals(listenerState(admin));
        }
    }

    /**
     * The broker refuses what the relay's own limit lets through (the topics allow less than the producer): the event
     * becomes a dead letter, that dead letter is refused too and becomes a metadata-only one, and the rows behind it
     * flow in order.
     */
    @Test
    void aRecordKafkaRefusesAtSendTimeIsDeadLetteredAndRowsBehindItFlow() throws Exception {
        String topic = "refusing-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka))) {
            admin.createTopics(List.of(
                            new NewTopic(topic, 1, (short) 1).configs(Map.of("max.message.bytes", "10000")),
                            new NewTopic(topic + ".dlq", 1, (short) 1).configs(Map.of("max.message.bytes", "3000"))))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        ConfigurableApplicationContext relay = startRelay(
                "--switchboard.outbox.topic=" + topic, "--switchboard.outbox.dead-letter-topic=" + topic + ".dlq");
        OutboxWriter writer = relay.getBean(OutboxWriter.class);
        String key = "refused-" + UUID.randomUUID();
        for (int i = 0; i < 3; i++) {
            writer.write(OutboxMessage.of("audit.progress", "audit", key, "{\"completed_steps\":" + i + "}"));
        }
        UUID refused = writer.write(OutboxMessage.of(
                "audit.progress", "audit", key, "{\"completed_steps\":-1,\"text\":\"" + "x".repeat(20_000) + "\"}"));
        for (int i = 3; i < 6; i++) {
            writer.write(OutboxMessage.of("audit.progress", "audit", key, "{\"completed_steps\":" + i + "}"));
        }
        try (KafkaTestClient topics = KafkaTestClient.subscribe(kafka, topic, topic + ".dlq")) {
            List<ConsumerRecord<String, byte[]>> all = topics.pollUntil(
                    Duration.ofSeconds(60),
                    seen -> seen.stream().filter(r -> r.topic().equals(topic)).count() >= 6
                            && seen.stream().anyMatch(r -> r.topic().equals(topic + ".dlq")));
            assertThat(all.stream()
                            .filter(r -> r.topic().equals(topic))
                            .map(r -> JSON.readTree(
                                            AVRO.deserialize(topic, r.value()).getPayload())
                                    .get("completed_steps")
                                    .asInt()))
                    .as("the rows behind the refused one, in order")
                    .containsExactly(0, 1, 2, 3, 4, 5);
            ConsumerRecord<String, byte[]> dead = all.stream()
                    .filter(r -> r.topic().equals(topic + ".dlq"))
                    .findFirst()
                    .orElseThrow();
            assertThat(header(dead, "switchboard-reason")).isEqualTo("ROW_TOO_LARGE");
            assertThat(header(dead, "switchboard-event-id")).isEqualTo(refused.toString());
            assertThat(header(dead, "switchboard-reason-text"))
                    .contains("Kafka refused the record")
                    .contains("metadata only");
            assertThat(JSON.readTree(dead.value()).get("metadataOnly").asBoolean())
                    .isTrue();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> db.rowCount("switchboard_outbox") == 0);
        assertThat(relay.getBean(RelayLoop.class).status().healthy()).isTrue();
    }

    @Override
    protected void killDeletingSessions(Statement admin) throws Exception {
        try (ResultSet rs = admin.executeQuery(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                        + " WHERE query LIKE 'DELETE FROM switchboard_outbox%' AND state = 'active' AND pid <> pg_backend_pid()")) {
            assertThat(rs.next()).as("a relay session waiting on its DELETE").isTrue();
        }
    }
}
