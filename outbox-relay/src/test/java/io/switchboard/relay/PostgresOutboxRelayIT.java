package io.switchboard.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.relay.outbox.OutboxWriter;
import io.switchboard.relay.outbox.OutboxWriter.OutboxMessage;
import io.switchboard.testkit.KafkaTestClient;
import io.switchboard.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/** outbox-relay on the machine's Postgres (LISTEN/NOTIFY, pg_try_advisory_lock). */
class PostgresOutboxRelayIT extends AbstractOutboxRelayIT {

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

            Set<String> statesWhileFlowing = new HashSet<>();
            String flowing = "audit-" + UUID.randomUUID();
            for (int i = 0; i < 300; i++) { // a row every 5 ms for 1.5 s
                writer.write(OutboxMessage.of("audit.progress", "audit", flowing, "{\"completed_steps\":" + i + "}"));
                if (i % 10 == 0) {
                    statesWhileFlowing.add(listenerState(admin));
                }
                Thread.sleep(5);
            }
            assertThat(statesWhileFlowing).contains("UNLISTEN");
            events.withKey(flowing, 300, Duration.ofSeconds(30));
            await().atMost(Duration.ofSeconds(10)).until(() -> "LISTEN".equals(listenerState(admin)));
        }
    }

    /** LISTEN or UNLISTEN: the last statement of the relay's listening session (it runs no other). */
    private static String listenerState(Statement admin) throws Exception {
        try (ResultSet rs = admin.executeQuery("SELECT query FROM pg_stat_activity WHERE datname = current_database()"
                + " AND (query LIKE 'LISTEN%' OR query LIKE 'UNLISTEN%') AND pid <> pg_backend_pid()")) {
            return rs.next() ? rs.getString(1).split(" ")[0] : "NONE";
        }
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
