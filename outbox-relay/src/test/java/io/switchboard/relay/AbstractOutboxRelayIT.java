package io.switchboard.relay;

import static io.switchboard.testkit.KafkaTestClient.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.switchboard.relay.outbox.JdbcOutboxSource;
import io.switchboard.relay.outbox.OutboxDialect;
import io.switchboard.relay.outbox.OutboxRow;
import io.switchboard.relay.outbox.OutboxSource;
import io.switchboard.relay.outbox.OutboxTable;
import io.switchboard.relay.outbox.OutboxWriter;
import io.switchboard.relay.outbox.OutboxWriter.OutboxMessage;
import io.switchboard.relay.relay.RelayLoop;
import io.switchboard.schemas.RealtimeEvent;
import io.switchboard.schemas.wire.AvroDeserializer;
import io.switchboard.schemas.wire.PinnedSchemaRegistry;
import io.switchboard.testkit.KafkaTestBroker;
import io.switchboard.testkit.KafkaTestClient;
import io.switchboard.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * outbox-relay on a real database of this machine and a real Kafka broker; one subclass per database.
 */
abstract class AbstractOutboxRelayIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final AvroDeserializer<RealtimeEvent> AVRO =
            new AvroDeserializer<>(RealtimeEvent.class, PinnedSchemaRegistry.instance());

    private final List<ConfigurableApplicationContext> relays = new ArrayList<>();
    protected TestDatabase db;
    protected String kafka;

    protected abstract TestDatabase.Kind kind();

    /** Ends every session of another client that is running a DELETE on the outbox (what a crash looks like). */
    protected abstract void killDeletingSessions(Statement admin) throws Exception;

    @BeforeEach
    void createDatabase() {
        kafka = KafkaTestBroker.bootstrapServers();
        db = TestDatabase.create(kind());
    }

    @AfterEach
    void stopRelaysAndDropDatabase() {
        relays.forEach(ConfigurableApplicationContext::close);
        db.close();
    }

    /** The URL the relay connects with (a subclass may choose another driver). */
    protected String jdbcUrl(TestDatabase database) {
        return database.jdbcUrl();
    }

    /** Ends a database session, as an admin or a network cut would (pg_terminate_backend, KILL). */
    protected abstract void killSession(Statement admin, String session) throws Exception;

    protected ConfigurableApplicationContext startRelay(String... extra) {
        return startRelay(db, extra);
    }

    protected ConfigurableApplicationContext startRelay(TestDatabase database, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--spring.kafka.bootstrap-servers=" + kafka,
                "--spring.datasource.url=" + jdbcUrl(database),
                "--server.port=0",
                "--switchboard.outbox.batch-size=50",
                "--switchboard.outbox.standby-retry=200ms"));
        for (String arg : extra) { // an extra setting replaces the default one (Spring would join the two)
            args.removeIf(a -> a.substring(0, a.indexOf('=')).equals(arg.substring(0, arg.indexOf('='))));
            args.add(arg);
        }
        ConfigurableApplicationContext relay = OutboxRelayApplication.builder().run(args.toArray(String[]::new));
        relays.add(relay);
        return relay;
    }

    @Test
    void concurrentWritersKeepPerAggregateOrderAndBadRowsGoToTheDeadLetterTopic() throws Exception {
        ConfigurableApplicationContext relay = startRelay();
        OutboxWriter writer = relay.getBean(OutboxWriter.class);
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> aggregates = List.of("audit-" + run + "-a", "audit-" + run + "-b", "audit-" + run + "-c");
        int perAggregate = 120;

        ExecutorService writers = Executors.newFixedThreadPool(aggregates.size());
        List<Future<?>> done = new ArrayList<>();
        for (String aggregate : aggregates) {
            done.add(writers.submit(() -> {
                for (int i = 0; i < perAggregate; i++) {
                    writer.write(OutboxMessage.of(
                            "audit.progress",
                            "audit",
                            aggregate,
                            "{\"audit_id\":\"" + aggregate + "\",\"completed_steps\":" + i + "}"));
                }
            }));
        }
        String badKey = "bad-" + run;
        try (Connection c = db.connect();
                Statement s = c.createStatement()) {
            // bad rows, written as plain SQL the way a careless producer would
            s.executeUpdate("INSERT INTO switchboard_outbox (type, aggregate_id, payload) VALUES ('audit.progress', '"
                    + badKey + "', '[1,2,3]')");
            s.executeUpdate(
                    "INSERT INTO switchboard_outbox (type, aggregate_id, payload) VALUES ('', '" + badKey + "', '{}')");
            s.executeUpdate("INSERT INTO switchboard_outbox (type, aggregate_id, payload, channels) VALUES"
                    + " ('audit.progress', '" + badKey + "', '{}', '{\"not\":\"an array\"}')");
        }
        for (Future<?> f : done) {
            f.get();
        }
        writers.shutdown();

        try (KafkaTestClient topics = KafkaTestClient.subscribe(kafka, "realtime.events", "realtime.events.dlq")) {
            List<ConsumerRecord<String, byte[]>> all = topics.pollUntil(
                    Duration.ofSeconds(60),
                    seen -> seen.stream()
                                            .filter(r -> aggregates.contains(r.key()))
                                            .count()
                                    >= (long) perAggregate * aggregates.size()
                            && KafkaTestClient.withKey(seen, badKey).size() >= 3);
            Map<String, List<Integer>> stepsByAggregate = all.stream()
                    .filter(r -> r.topic().equals("realtime.events") && aggregates.contains(r.key()))
                    .collect(Collectors.groupingBy(
                            ConsumerRecord::key,
                            Collectors.mapping(AbstractOutboxRelayIT::completedSteps, Collectors.toList())));
            List<Integer> expected = IntStream.range(0, perAggregate).boxed().toList();
            for (String aggregate : aggregates) {
                assertThat(stepsByAggregate.get(aggregate))
                        .as(
                                "order of %s (partition-offset:step as read: %s)",
                                aggregate,
                                all.stream()
                                        .filter(r -> r.topic().equals("realtime.events") && aggregate.equals(r.key()))
                                        .map(r -> r.partition() + "-" + r.offset() + ":" + completedSteps(r))
                                        .toList())
                        .isEqualTo(expected);
            }
            assertThat(KafkaTestClient.withKey(all, badKey))
                    .allSatisfy(r -> assertThat(r.topic()).isEqualTo("realtime.events.dlq"))
                    .extracting(r -> header(r, "switchboard-reason"))
                    .containsExactly("PAYLOAD_NOT_OBJECT", "MISSING_TYPE", "CHANNELS_NOT_STRING_ARRAY");
        }
        awaitEmptyOutbox();
    }

    /**
     * Regression: ids are handed out at insert, not at commit. Under concurrent writers a row committed after rows
     * with higher ids; the relay's cursor had already moved past it, so it was published after its aggregate's next
     * row (seen as ...55, 57...78, 56 in the test above). Each read now starts from the oldest row and skips only the
     * rows in flight.
     */
    @Test
    void aRowThatCommitsLateIsNotPassedByItsAggregatesNextRow() throws Exception {
        startRelay().close(); // creates the outbox table; this test reads it the way the relay does
        String run = UUID.randomUUID().toString().substring(0, 8);
        String late = "late-" + run;
        String other = "other-" + run;
        OutboxSource source = source();
        List<String> publishedOrder = new ArrayList<>();
        Set<Long> inFlight = new HashSet<>();

        try (Connection open = db.connect();
                Connection autocommit = db.connect();
                Statement writes = autocommit.createStatement()) {
            open.setAutoCommit(false);
            try (Statement s = open.createStatement()) { // the aggregate's first row, its transaction still open
                s.executeUpdate(insert(late, 0));
            }
            writes.executeUpdate(insert(other, 0)); // another aggregate's row commits with a higher id
            for (OutboxRow row : source.fetch(inFlight, 50)) { // read and sent while the first row is uncommitted
                publishedOrder.add(row.aggregateId() + "#" + step(row));
                inFlight.add(row.id()); // in flight: not acknowledged, not deleted
            }
            open.commit();
            writes.executeUpdate(insert(late, 1)); // the aggregate's next row, written after the first committed
        }
        for (OutboxRow row : source.fetch(inFlight, 50)) {
            publishedOrder.add(row.aggregateId() + "#" + step(row));
        }

        assertThat(publishedOrder.stream().filter(e -> e.startsWith(late)).toList())
                .as("the aggregate's rows in the order they were written")
                .containsExactly(late + "#0", late + "#1");
        assertThat(publishedOrder).containsOnlyOnce(other + "#0");
    }

    /**
     * Order is the order of inserts, not of transaction ids: a writer that wrote elsewhere first (so took its
     * transaction id early) and inserted its row after another writer's committed row comes after it. Reading in
     * transaction-id order, tried for the regression above, got this wrong.
     */
    @Test
    void aWriterThatStartedEarlierButInsertedLaterComesAfter() throws Exception {
        startRelay().close();
        String run = UUID.randomUUID().toString().substring(0, 8);
        String aggregate = "locked-" + run;
        try (Connection c = db.connect();
                Statement create = c.createStatement()) {
            create.executeUpdate("CREATE TABLE audits_" + run + " (id VARCHAR(64) PRIMARY KEY, status VARCHAR(32))");
        }
        try (Connection first = db.connect();
                Connection second = db.connect();
                Statement s = second.createStatement()) {
            first.setAutoCommit(false);
            try (Statement t = first.createStatement()) { // the first writer's domain change: its transaction begins
                t.executeUpdate("INSERT INTO audits_" + run + " VALUES ('" + aggregate + "', 'running')");
            }
            s.executeUpdate(insert(aggregate, 0)); // the second writer commits the aggregate's first event
            try (Statement t = first.createStatement()) {
                t.executeUpdate(insert(aggregate, 1)); // then the first writer writes the next one, and commits
            }
            first.commit();
        }
        assertThat(source().fetch(Set.of(), 50).stream()
                        .filter(r -> aggregate.equals(r.aggregateId()))
                        .map(AbstractOutboxRelayIT::step)
                        .toList())
                .containsExactly(0, 1);
    }

    private OutboxSource source() {
        return new JdbcOutboxSource(
                new JdbcTemplate(new DriverManagerDataSource(jdbcUrl(db))),
                new OutboxTable("switchboard_outbox"),
                kind() == TestDatabase.Kind.POSTGRES ? OutboxDialect.POSTGRES : OutboxDialect.MYSQL);
    }

    private static String insert(String aggregate, int step) {
        return "INSERT INTO switchboard_outbox (type, aggregate_id, payload) VALUES ('audit.progress', '" + aggregate
                + "', '{\"completed_steps\":" + step + "}')";
    }

    private static int step(OutboxRow row) {
        return JSON.readTree(row.payload()).get("completed_steps").asInt();
    }

    @Test
    void twoRelaysNeverPublishTogetherAndTheStandbyTakesOver() throws Exception {
        RelayLoop first = startRelay().getBean(RelayLoop.class);
        await().atMost(Duration.ofSeconds(10)).until(first::active);
        ConfigurableApplicationContext secondContext = startRelay();
        RelayLoop second = secondContext.getBean(RelayLoop.class);

        AtomicBoolean both = new AtomicBoolean();
        AtomicBoolean watching = new AtomicBoolean(true);
        Thread watcher = new Thread(() -> {
            while (watching.get()) {
                if (first.active() && second.active()) {
                    both.set(true);
                }
                Thread.onSpinWait();
            }
        });
        watcher.start();
        try {
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> !second.active());
            relays.get(0).close(); // the active replica goes away; its session ends and the lock with it
            await().atMost(Duration.ofSeconds(10)).until(second::active);

            String key = "after-takeover-" + UUID.randomUUID();
            secondContext
                    .getBean(OutboxWriter.class)
                    .write(OutboxMessage.of("audit.progress", "audit", key, "{\"audit_id\":\"x\"}"));
            try (KafkaTestClient topic = KafkaTestClient.subscribe(kafka, "realtime.events")) {
                assertThat(topic.withKey(key, 1, Duration.ofSeconds(20))).hasSize(1);
            }
        } finally {
            watching.set(false);
            watcher.join();
        }
        assertThat(both).as("two replicas were active at once").isFalse();
    }

    @Test
    void aRelayCutOffBetweenProduceAndDeleteLosesNothing() throws Exception {
        String key = "cut-" + UUID.randomUUID();
        int rows = 20;
        startRelay().close(); // creates the outbox table
        try (Connection c = db.connect();
                Statement s = c.createStatement()) {
            for (int i = 0; i < rows; i++) {
                s.executeUpdate(
                        "INSERT INTO switchboard_outbox (type, aggregate_id, payload) VALUES ('audit.progress', '" + key
                                + "', '{\"completed_steps\":" + i + "}')");
            }
        }
        try (Connection locker = db.connect();
                Statement admin = db.connect().createStatement()) {
            // hold the rows: the relay can read and publish them, but its DELETE waits
            locker.setAutoCommit(false);
            try (Statement lock = locker.createStatement()) {
                lock.executeQuery("SELECT id FROM switchboard_outbox FOR UPDATE")
                        .close();
            }
            startRelay();
            try (KafkaTestClient topic = KafkaTestClient.subscribe(kafka, "realtime.events")) {
                assertThat(topic.withKey(key, rows, Duration.ofSeconds(30))).hasSize(rows);
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> killDeletingSessions(admin));
            locker.rollback();
        }
        try (KafkaTestClient topic = KafkaTestClient.subscribe(kafka, "realtime.events")) {
            List<ConsumerRecord<String, byte[]>> records = topic.withKey(key, 2 * rows, Duration.ofSeconds(30));
            Set<Integer> steps =
                    records.stream().map(AbstractOutboxRelayIT::completedSteps).collect(Collectors.toSet());
            assertThat(steps)
                    .as("every row reached Kafka")
                    .containsExactlyInAnyOrderElementsOf(
                            IntStream.range(0, rows).boxed().toList());
            assertThat(records)
                    .as("rows whose delete never happened were published again")
                    .hasSize(2 * rows);
        }
        awaitEmptyOutbox();
    }

    @Test
    void oversizeRowIsDeadLetteredAndRowsBehindItFlow() throws Exception {
        ConfigurableApplicationContext relay = startRelay();
        OutboxWriter writer = relay.getBean(OutboxWriter.class);
        String key = "oversize-" + UUID.randomUUID();
        for (int i = 0; i < 3; i++) {
            writer.write(OutboxMessage.of("audit.progress", "audit", key, "{\"completed_steps\":" + i + "}"));
        }
        // 1.5 MB of payload: over the limit before it is even serialized
        String huge = "{\"completed_steps\":-1,\"text\":\"" + "x".repeat(1_500_000) + "\"}";
        UUID hugeId = writer.write(OutboxMessage.of("audit.progress", "audit", key, huge));
        // a payload under the limit whose headers push the serialized record over it
        UUID heavyId = writer.write(new OutboxMessage(
                "audit.progress",
                "audit",
                key,
                "{\"completed_steps\":-2,\"text\":\"" + "y".repeat(980_000) + "\"}",
                null,
                null,
                Map.of("note", "z".repeat(40_000)),
                null));
        for (int i = 3; i < 6; i++) {
            writer.write(OutboxMessage.of("audit.progress", "audit", key, "{\"completed_steps\":" + i + "}"));
        }

        try (KafkaTestClient topics = KafkaTestClient.subscribe(kafka, "realtime.events", "realtime.events.dlq")) {
            List<ConsumerRecord<String, byte[]>> all = topics.pollUntil(
                    Duration.ofSeconds(60),
                    seen -> KafkaTestClient.withKey(seen, key).stream()
                                            .filter(r -> r.topic().equals("realtime.events"))
                                            .count()
                                    >= 6
                            && KafkaTestClient.withKey(seen, key).stream()
                                            .filter(r -> r.topic().equals("realtime.events.dlq"))
                                            .count()
                                    >= 2);
            assertThat(KafkaTestClient.withKey(all, key).stream()
                            .filter(r -> r.topic().equals("realtime.events"))
                            .map(AbstractOutboxRelayIT::completedSteps))
                    .as("the rows behind the oversize ones flow, in order")
                    .containsExactly(0, 1, 2, 3, 4, 5);
            List<ConsumerRecord<String, byte[]>> dead = KafkaTestClient.withKey(all, key).stream()
                    .filter(r -> r.topic().equals("realtime.events.dlq"))
                    .toList();
            assertThat(dead)
                    .extracting(r -> header(r, "switchboard-reason"))
                    .containsExactly("ROW_TOO_LARGE", "ROW_TOO_LARGE");
            assertThat(dead)
                    .extracting(r -> header(r, "switchboard-event-id"))
                    .containsExactly(hugeId.toString(), heavyId.toString());
            assertThat(dead).allSatisfy(r -> {
                assertThat(header(r, "switchboard-stage")).isEqualTo("relay");
                assertThat(header(r, "switchboard-outbox-table")).isEqualTo("switchboard_outbox");
                assertThat(header(r, "switchboard-outbox-id")).isNotBlank();
                assertThat(r.value().length).as("a dead letter fits").isLessThan(100_000);
                var row = JSON.readTree(r.value());
                assertThat(row.get("truncated").asBoolean()).isTrue();
                assertThat(row.get("payloadBytes").asInt()).isGreaterThan(980_000);
                assertThat(row.get("payload").asString()).startsWith("{");
            });
            assertThat(header(dead.get(1), "switchboard-reason-text")).contains("as a Kafka record");
        }
        awaitEmptyOutbox();
        assertThat(relay.getBean(io.micrometer.core.instrument.MeterRegistry.class)
                        .counter("switchboard.relay.dead_lettered", "reason", "ROW_TOO_LARGE")
                        .count())
                .isEqualTo(2.0);
        assertThat(relay.getBean(RelayLoop.class).status().healthy()).isTrue();
    }

    @Test
    void lockNameIsScopedByDatabase() throws Exception {
        try (TestDatabase other = TestDatabase.create(kind())) {
            RelayLoop first = startRelay().getBean(RelayLoop.class);
            ConfigurableApplicationContext secondContext = startRelay(other);
            RelayLoop second = secondContext.getBean(RelayLoop.class);
            await().atMost(Duration.ofSeconds(10)).until(() -> first.active() && second.active());
            String key = "scoped-" + UUID.randomUUID();
            secondContext
                    .getBean(OutboxWriter.class)
                    .write(OutboxMessage.of("audit.progress", "audit", key, "{\"audit_id\":\"x\"}"));
            try (KafkaTestClient topic = KafkaTestClient.subscribe(kafka, "realtime.events")) {
                assertThat(topic.withKey(key, 1, Duration.ofSeconds(20))).hasSize(1);
            }
            relays.remove(secondContext);
            secondContext.close();
        }
    }

    @Test
    void killedLockConnectionStopsTheRelayBeforeAnotherRuns() throws Exception {
        // once the first relay knows it lost its lock it waits 2 s as a standby, so the other one, trying every
        // 200 ms, is the one that takes over; until then the first one still believes it is active
        ConfigurableApplicationContext firstContext = startRelay(
                "--switchboard.outbox.poll-interval=500ms",
                "--switchboard.outbox.max-poll-interval=500ms",
                "--switchboard.outbox.standby-retry=2s");
        RelayLoop first = firstContext.getBean(RelayLoop.class);
        await().atMost(Duration.ofSeconds(10)).until(first::active);
        RelayLoop second = startRelay().getBean(RelayLoop.class);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> !second.active());
        String session = first.lock().session();
        assertThat(session).isNotBlank();

        try (Connection c = db.connect();
                Statement admin = c.createStatement()) {
            killSession(admin, session);
        }
        await().atMost(Duration.ofSeconds(10)).until(second::active);
        double publishedByFirst = published(firstContext);

        String key = "after-kill-" + UUID.randomUUID();
        int rows = 60;
        try (Connection c = db.connect();
                Statement s = c.createStatement()) {
            for (int i = 0; i < rows; i++) { // every insert wakes or reaches both relays
                s.executeUpdate(
                        "INSERT INTO switchboard_outbox (type, aggregate_id, payload) VALUES ('audit.progress', '" + key
                                + "', '{\"completed_steps\":" + i + "}')");
            }
        }
        try (KafkaTestClient topic = KafkaTestClient.subscribe(kafka, "realtime.events")) {
            List<Integer> steps = topic.withKey(key, rows, Duration.ofSeconds(30)).stream()
                    .map(AbstractOutboxRelayIT::completedSteps)
                    .toList();
            assertThat(steps)
                    .as("in order, none lost")
                    .isEqualTo(IntStream.range(0, rows).boxed().toList());
        }
        awaitEmptyOutbox();
        assertThat(published(firstContext))
                .as("the replica whose lock session was killed relayed nothing once the other took over")
                .isEqualTo(publishedByFirst);
        await().atMost(Duration.ofSeconds(10)).until(() -> !first.active());
    }

    @Test
    void qualifiedTableNameMigratesAndRelays() throws Exception {
        try (TestDatabase other = TestDatabase.create(kind())) {
            String table = other.name() + ".custom_outbox";
            boolean postgres = kind() == TestDatabase.Kind.POSTGRES;
            // on Postgres, a 30 s poll shows that the insert trigger's NOTIFY reaches the relay
            ConfigurableApplicationContext relay = postgres
                    ? startRelay("--switchboard.outbox.table=" + table, "--switchboard.outbox.max-poll-interval=30s")
                    : startRelay("--switchboard.outbox.table=" + table);
            await().atMost(Duration.ofSeconds(10)).until(relay.getBean(RelayLoop.class)::active);
            String key = "qualified-" + UUID.randomUUID();
            try (KafkaTestClient topic = KafkaTestClient.subscribe(kafka, "realtime.events")) {
                if (postgres) {
                    await().atMost(Duration.ofSeconds(20)).until(() -> listening(table));
                }
                long start = System.nanoTime();
                try (Connection c = db.connect();
                        Statement s = c.createStatement()) {
                    for (int i = 0; i < 3; i++) {
                        s.executeUpdate("INSERT INTO " + table + " (type, aggregate_id, payload) VALUES"
                                + " ('audit.progress', '" + key + "', '{\"completed_steps\":" + i + "}')");
                    }
                }
                assertThat(topic.withKey(key, 3, Duration.ofSeconds(20)))
                        .extracting(AbstractOutboxRelayIT::completedSteps)
                        .containsExactly(0, 1, 2);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> other.rowCount("custom_outbox") == 0);
            assertThatThrownBy(() -> db.rowCount("switchboard_outbox"))
                    .as("the setting chose the table: the default one was never created")
                    .isInstanceOf(IllegalStateException.class);
            relays.remove(relay);
            relay.close();
        }
    }

    /** The outbox usually lives beside the service's own tables: Flyway must not baseline V1 away. */
    @Test
    void migratesIntoADatabaseThatAlreadyHoldsTheServicesTables() throws Exception {
        try (Connection c = db.connect();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE audits (id VARCHAR(64) PRIMARY KEY, status VARCHAR(32))");
        }
        ConfigurableApplicationContext relay = startRelay();
        String key = "beside-" + UUID.randomUUID();
        relay.getBean(OutboxWriter.class)
                .write(OutboxMessage.of("audit.progress", "audit", key, "{\"completed_steps\":0}"));
        try (KafkaTestClient topic = KafkaTestClient.subscribe(kafka, "realtime.events")) {
            assertThat(topic.withKey(key, 1, Duration.ofSeconds(20))).hasSize(1);
        }
    }

    /** True once the relay LISTENs (Postgres; other databases poll). */
    protected boolean listening(String table) throws Exception {
        return true;
    }

    private static double published(ConfigurableApplicationContext relay) {
        return relay.getBean(io.micrometer.core.instrument.MeterRegistry.class)
                .counter("switchboard.relay.published")
                .count();
    }

    private void awaitEmptyOutbox() {
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(db.rowCount("switchboard_outbox"))
                        .as("every published or dead-lettered row is deleted")
                        .isZero());
    }

    private static int completedSteps(ConsumerRecord<String, byte[]> record) {
        return JSON.readTree(AVRO.deserialize(record.topic(), record.value()).getPayload())
                .get("completed_steps")
                .asInt();
    }
}
