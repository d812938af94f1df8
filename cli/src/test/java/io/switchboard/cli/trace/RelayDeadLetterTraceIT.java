package io.switchboard.cli.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.cli.SwitchboardCommand;
import io.switchboard.relay.OutboxRelayApplication;
import io.switchboard.testkit.KafkaTestBroker;
import io.switchboard.testkit.TestDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine;

/**
 * {@code switchboard trace} on a relay-stage dead letter, as the real relay writes it: an outbox row too large for
 * Kafka never becomes an event on realtime.events; its dead letter on realtime.events.dlq is the row as JSON. Found
 * by {@code --outbox-id} (the row the producing service knows) as by {@code --event-id}, told as the relay's, and
 * answered with what to do: fix the row and insert it again ({@code dlq redrive} skips relay dead letters).
 */
class RelayDeadLetterTraceIT {

    private static final String KAFKA = KafkaTestBroker.bootstrapServers();
    private final List<ConfigurableApplicationContext> services = new ArrayList<>();
    private TestDatabase db;

    record Run(int exit, String out, String err) {}

    @AfterEach
    void stop() {
        services.forEach(ConfigurableApplicationContext::close);
        if (db != null) {
            db.close();
        }
    }

    static Run trace(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new SwitchboardCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of("trace"));
        all.addAll(List.of(args));
        all.add("--bootstrap-servers=" + KAFKA);
        int exit = cli.execute(all.toArray(String[]::new));
        System.out.println("$ switchboard " + String.join(" ", all).replace(" --bootstrap-servers=" + KAFKA, "") + "\n"
                + out + err + "[exit " + exit + "]");
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void anOutboxRowTheRelayDeadLetteredIsExplainedByItsRowAndByItsEventId() throws Exception {
        db = TestDatabase.postgres();
        services.add(OutboxRelayApplication.builder()
                .run(
                        "--spring.kafka.bootstrap-servers=" + KAFKA,
                        "--server.port=0",
                        "--spring.datasource.url=" + db.jdbcUrl(),
                        "--switchboard.outbox.max-record-bytes=65536"));
        String run = UUID.randomUUID().toString().substring(0, 8);
        // a row id no other run on this broker has used: --outbox-id names a row of one outbox table
        long rowId = ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_000_000_000L);
        String eventId;
        try (Connection c = db.connect();
                PreparedStatement insert = c.prepareStatement("INSERT INTO switchboard_outbox (id, type, source,"
                        + " aggregate_type, aggregate_id, payload) VALUES (?, ?, ?, ?, ?, CAST(? AS jsonb))"
                        + " RETURNING event_id")) {
            insert.setLong(1, rowId);
            insert.setString(2, "audit.step_completed");
            insert.setString(3, "audit-service");
            insert.setString(4, "audit");
            insert.setString(5, "audit-" + run);
            insert.setString(6, "{\"audit_id\":\"A" + run + "\",\"transcript\":\"" + "x".repeat(70_000) + "\"}");
            try (ResultSet rs = insert.executeQuery()) {
                rs.next();
                eventId = rs.getString(1);
            }
        }

        Run byRow = until("ROW_TOO_LARGE", "--since=10m", "--outbox-id=" + rowId);
        assertThat(byRow.exit()).isZero();
        assertThat(byRow.out())
                .contains("event " + eventId + "  audit.step_completed  aggregate audit-" + run)
                .containsPattern("  committed   \\S+Z  \\(outbox row " + rowId + "\\)")
                .contains("  relay       dead-lettered outbox row " + rowId + ": ROW_TOO_LARGE ")
                .doesNotContain("  relayed     ")
                .doesNotContain("  router      ")
                .containsPattern("  answer      Not published: the relay dead-lettered outbox row " + rowId
                        + " as ROW_TOO_LARGE \\(.*\\)\\. That dead letter is the row itself, not a Kafka record, so"
                        + " dlq redrive skips it: fix the row \\(switchboard dlq show realtime\\.events\\.dlq:\\d+:\\d+"
                        + " shows it\\) and insert it into the outbox again\\.");

        Run byEvent = trace("--since=10m", "--event-id=" + eventId);
        assertThat(byEvent.exit()).isZero();
        assertThat(byEvent.out()).isEqualTo(byRow.out());

        Run json = trace("--since=10m", "--outbox-id=" + rowId, "--json");
        assertThat(json.out())
                .contains("\"relay\":[\"dead-lettered outbox row " + rowId + ": ROW_TOO_LARGE ")
                .contains("\"outcomes\":[\"relay:DEAD_LETTER_RECORD:ROW_TOO_LARGE\"]");
    }

    /** Runs trace until its output matches {@code expected} (a regular expression); returns that run. */
    private static Run until(String expected, String... args) {
        Run[] last = new Run[1];
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(700))
                .untilAsserted(() -> {
                    last[0] = trace(args);
                    assertThat(last[0].out() + last[0].err()).containsPattern(expected);
                });
        return last[0];
    }
}
