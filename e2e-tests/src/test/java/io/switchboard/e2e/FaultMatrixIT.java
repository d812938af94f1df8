package io.switchboard.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testkit.ProjectRoot;
import io.switchboard.testkit.pipeline.Pipeline;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fastest cases of the fault matrix (benchmarks/run.sh faults, docs/reliability.md) on every build: the whole
 * pipeline as separate processes from the exec jars the build just packaged, a real broker (scripts/kafka.sh),
 * Postgres, Redis, the registry and Pusher stand-ins. Each phase writes outbox rows at a steady rate (audit runs:
 * twenty progress events, then completed), and what the Pusher side accepted must be every (event, channel) pair
 * once, in order per channel.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultMatrixIT {

    private static final int RATE = 100;
    private static final int SECONDS = 12;
    private static final int FAULT_AT = 4;
    private static final Duration DRAIN = Duration.ofMinutes(2);

    @TempDir
    static Path work;

    private static Pipeline pipeline;

    @BeforeAll
    static void start() throws Exception {
        pipeline = new Pipeline(ProjectRoot.path(), work, "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres");
        pipeline.start();
    }

    @AfterAll
    static void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    private static void assertEveryPairOnceInOrder(Pipeline.PhaseResult result) {
        System.out.println(result);
        assertThat(result.rows()).as("rows written").isEqualTo(RATE * SECONDS);
        assertThat(result.counts().lost()).as("lost under %s", result.fault()).isZero();
        assertThat(result.counts().duplicated())
                .as("duplicated under %s", result.fault())
                .isZero();
        assertThat(result.counts().outOfOrder())
                .as("out of order under %s", result.fault())
                .isZero();
        assertThat(result.counts().deliveredOnce()).isEqualTo(2L * RATE * SECONDS);
    }

    /**
     * A publisher killed with requests in flight repeats what Pusher accepted from it but it had not recorded yet
     * (Pusher has no idempotency key; at-least-once): a pair may come once from the killed process and once from
     * its replacement, never twice from one process; nothing lost.
     */
    private static void assertEveryPairAtLeastOnceInOrder(Pipeline.PhaseResult result) {
        System.out.println(result);
        assertThat(result.rows()).as("rows written").isEqualTo(RATE * SECONDS);
        assertThat(result.counts().lost()).as("lost under %s", result.fault()).isZero();
        assertThat(result.counts().outOfOrder())
                .as("out of order under %s", result.fault())
                .isZero();
        assertThat(result.duplicatesOnlyFromACrash())
                .as("every duplicate was accepted from the killed publisher, then from its replacement: %s", result)
                .isTrue();
    }

    @Test
    @Order(1)
    void noFault() throws Exception {
        Pipeline.PhaseResult result = pipeline.phase("none", () -> {}, RATE, SECONDS, FAULT_AT, DRAIN);
        assertEveryPairOnceInOrder(result);
        assertThat(result.deadLetters()).isEmpty();
    }

    @Test
    @Order(2)
    void routerKilledAndRestarted() throws Exception {
        assertEveryPairOnceInOrder(
                pipeline.phase("kill-router", () -> pipeline.restartKilled("router"), RATE, SECONDS, FAULT_AT, DRAIN));
    }

    @Test
    @Order(3)
    void publisherKilledAndRestarted() throws Exception {
        assertEveryPairAtLeastOnceInOrder(pipeline.phase(
                "kill-publisher", () -> pipeline.restartKilled("publisher"), RATE, SECONDS, FAULT_AT, DRAIN));
    }

    @Test
    @Order(4)
    void badInputIsDeadLetteredWithItsReasonAndGoodTrafficFlows() throws Exception {
        Pipeline.PhaseResult result =
                pipeline.phase("bad-input", () -> pipeline.badInput(15), RATE, SECONDS, FAULT_AT, DRAIN);
        assertEveryPairOnceInOrder(result);
        Map<String, Integer> expected = new TreeMap<>(Map.ofEntries(
                Map.entry("publisher NOT_DESERIALIZABLE", 15),
                Map.entry("relay CHANNELS_NOT_STRING_ARRAY", 2),
                Map.entry("relay HEADERS_NOT_STRING_MAP", 1),
                Map.entry("relay MISSING_TYPE", 2),
                Map.entry("relay PAYLOAD_NOT_OBJECT", 2),
                Map.entry("relay ROW_TOO_LARGE", 1),
                Map.entry("relay TYPE_TOO_LONG", 1),
                Map.entry("router EMPTY", 3),
                Map.entry("router NOT_FRAMED", 3),
                Map.entry("router RESERVED_EVENT_NAME", 1),
                Map.entry("router TRUNCATED", 6),
                Map.entry("router UNKNOWN_SCHEMA_ID", 3),
                Map.entry("router UNSAFE_PLACEHOLDER", 2)));
        assertThat(result.deadLetters()).isEqualTo(expected);
    }
}
