package io.switchboard.cli.replay;

import static io.switchboard.cli.replay.ReplayFixtures.KAFKA;
import static io.switchboard.cli.replay.ReplayFixtures.createTopics;
import static io.switchboard.cli.replay.ReplayFixtures.encode;
import static io.switchboard.cli.replay.ReplayFixtures.event;
import static io.switchboard.cli.replay.ReplayFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.cli.SwitchboardCommand;
import io.switchboard.cli.kafka.WrongAddresses;
import io.switchboard.cli.replay.ReplayFixtures.Run;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;

/** {@code switchboard tail} on a real broker: it sees what is written after it started, filtered, and stops. */
class TailCommandIT {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String EVENTS = "it-" + RUN + ".tail.realtime.events";

    private static final String STEP = "{\"audit_id\":\"A9\",\"fiche_id\":\"F9\",\"step_position\":1,"
            + "\"step_name\":\"Accueil\",\"score\":5,\"max_score\":5,\"conforme\":true,\"total_citations\":1,"
            + "\"tokens_used\":900,\"status\":\"completed\"}";
    /** Magic byte 0, schema id 9999 (pinned nowhere), then bytes: what a producer with another registry writes. */
    private static final byte[] UNKNOWN_SCHEMA_ID = {0, 0, 0, 0x27, 0x0f, 2, 4, 6};

    private static final String PROGRESS = "{\"fiche_id\":\"F9\",\"total_recordings\":2,\"transcribed\":1,"
            + "\"pending\":1,\"failed\":0,\"progress_percentage\":50,\"status\":\"in_progress\"}";

    @BeforeAll
    static void createTopic() {
        createTopics(2, EVENTS);
        // written before tail starts: tail begins at the end, so it must not show this one
        write(EVENTS, 0, null, "A9", encode(EVENTS, event("old", "audit.step_completed", "A9", STEP)));
    }

    /** A running tail: its output so far, and its exit code once it ends. */
    record Tail(StringWriter out, StringWriter err, TailCommand command, CompletableFuture<Integer> exit) {
        Run await() throws Exception {
            int code = exit.get(30, TimeUnit.SECONDS);
            System.out.println("$ switchboard tail ...\n" + out + err + "[exit " + code + "]");
            return new Run(code, out.toString(), err.toString());
        }
    }

    private static Tail start(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new SwitchboardCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of("tail", "--bootstrap-servers=" + KAFKA, "--topic=" + EVENTS));
        all.addAll(List.of(args));
        TailCommand command = (TailCommand) cli.getSubcommands().get("tail").getCommand();
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cli.execute(all.toArray(String[]::new)));
        Tail tail = new Tail(out, err, command, exit);
        await().atMost(Duration.ofSeconds(20)).until(() -> err.toString().contains("following ") || exit.isDone());
        return tail;
    }

    @Test
    void tailSeesARecordWrittenAfterItStartedWithItsRoutingDecision() throws Exception {
        Tail tail = start("--type=audit.*", "--max=1", "--for=30s", "--json");
        assertThat(tail.err().toString()).contains("following " + EVENTS + " (2 partitions) from its end");

        write(EVENTS, 1, null, "F9", encode(EVENTS, event("filtered-out", "transcription.progress", "F9", PROGRESS)));
        write(EVENTS, 0, Instant.now(), "A9", encode(EVENTS, event("new", "audit.step_completed", "A9", STEP)));

        Run run = tail.await();
        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode line = run.json().get(0);
        assertThat(run.json()).hasSize(1);
        assertThat(line.get("value").get("event_id").asString()).isEqualTo("new");
        assertThat(line.get("routing").get("channels").values())
                .extracting(JsonNode::asString)
                .containsExactly("private-audit-A9", "private-fiche-F9");
    }

    @Test
    void tailStopsOnCtrlCWithExitZero() throws Exception {
        Tail tail = start();
        write(EVENTS, 1, null, "F9", encode(EVENTS, event("seen", "transcription.progress", "F9", PROGRESS)));
        await().atMost(Duration.ofSeconds(20)).until(() -> tail.out().toString().contains("seen"));
        tail.command().following.stop();
        Run run = tail.await();
        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("transcription.progress  seen  key=F9  -> private-fiche-F9");
    }

    /** Ctrl-C on a real process: the shutdown hook wakes the consumer, the output so far stays, the JVM ends. */
    @Test
    void ctrlCEndsARealTailProcess() throws Exception {
        String jar = ReplayFixtures.execJar();
        String java = ReplayFixtures.java();
        Process process = new ProcessBuilder(
                        java, "-jar", jar, "tail", "--bootstrap-servers=" + KAFKA, "--topic=" + EVENTS)
                .start();
        StringBuffer out = new StringBuffer();
        StringBuffer err = new StringBuffer();
        daemon(() -> copy(process.getInputStream(), out));
        daemon(() -> copy(process.getErrorStream(), err));
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> err.toString().contains("following "));
            write(EVENTS, 0, null, "F9", encode(EVENTS, event("ctrl-c", "transcription.progress", "F9", PROGRESS)));
            await().atMost(Duration.ofSeconds(20)).until(() -> out.toString().contains("ctrl-c"));

            new ProcessBuilder("kill", "-INT", Long.toString(process.pid()))
                    .start()
                    .waitFor();
            assertThat(process.waitFor(15, TimeUnit.SECONDS)).as(err.toString()).isTrue();
            assertThat(process.exitValue()).isEqualTo(130);
            assertThat(out.toString()).contains("transcription.progress  ctrl-c  key=F9  -> private-fiche-F9");
        } finally {
            process.destroyForcibly();
        }
    }

    private static void daemon(Runnable task) {
        Thread thread = new Thread(task);
        thread.setDaemon(true);
        thread.start();
    }

    private static void copy(InputStream in, StringBuffer into) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                into.append(line).append('\n');
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    @Test
    void aForWindowWithNothingMatchingIsOneLineAndExitThree() throws Exception {
        Run run = start("--type=nothing.*", "--for=1s").await();
        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.err().lines())
                .filteredOn(l -> !l.startsWith("following "))
                .singleElement()
                .asString()
                .contains("no record of " + EVENTS + " matching --type 'nothing.*' within 1s");
    }

    /**
     * A live tail does not die on one record it cannot decode: it shows it as {@code dlq show} does (size, reason,
     * base64), whatever the filters, and goes on; it does not count for --max.
     */
    @Test
    void anUndecodableRecordIsShownAsBytesWithTheReasonAndTheTailGoesOn() throws Exception {
        Tail tail = start("--type=audit.*", "--max=1", "--for=30s");
        write(EVENTS, 0, null, "A9", UNKNOWN_SCHEMA_ID);
        write(EVENTS, 0, null, "A9", encode(EVENTS, event("after-bad", "audit.step_completed", "A9", STEP)));

        Run run = tail.await();
        assertThat(run.exit()).as(run.err()).isZero();
        List<String> lines = run.out().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0))
                .matches("\\S+Z  " + EVENTS.replace(".", "\\.") + ":0:\\d+  key=A9  8 bytes, not decodable: .*")
                .contains("not decodable: UNKNOWN_SCHEMA_ID: schema id 9999 is not pinned in this build"
                        + " (written with another schema registry? set SCHEMA_REGISTRY_URL or --schema-registry-url)")
                .endsWith("  base64 " + Base64.getEncoder().encodeToString(UNKNOWN_SCHEMA_ID));
        assertThat(lines.get(1)).contains("audit.step_completed  after-bad  key=A9  -> private-audit-A9");

        Tail json = start("--max=1", "--for=30s", "--json");
        write(EVENTS, 1, null, "F9", UNKNOWN_SCHEMA_ID);
        write(EVENTS, 1, null, "F9", encode(EVENTS, event("after-bad-json", "transcription.progress", "F9", PROGRESS)));
        Run jsonRun = json.await();
        assertThat(jsonRun.exit()).as(jsonRun.err()).isZero();
        assertThat(jsonRun.json()).hasSize(2);
        JsonNode bad = jsonRun.json().get(0);
        assertThat(bad.get("record").asString()).startsWith(EVENTS + ":1:");
        assertThat(bad.get("undecodable").asString()).startsWith("UNKNOWN_SCHEMA_ID: schema id 9999");
        assertThat(bad.get("value_base64").asString())
                .isEqualTo(Base64.getEncoder().encodeToString(UNKNOWN_SCHEMA_ID));
        assertThat(bad.get("key").asString()).isEqualTo("F9");
        assertThat(jsonRun.json().get(1).get("value").get("event_id").asString())
                .isEqualTo("after-bad-json");
    }

    @Test
    void aWrongBrokerAddressIsOneLineAndExitOneWithinTheTimeout() {
        long began = System.nanoTime();
        Run run =
                ReplayFixtures.execute("tail", "--bootstrap-servers=127.0.0.1:1", "--topic=" + EVENTS, "--timeout=2s");
        assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(15));
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err().lines())
                .singleElement()
                .asString()
                .isEqualTo("switchboard tail: cannot reach Kafka at 127.0.0.1:1 within 2s (set KAFKA_BOOTSTRAP_SERVERS"
                        + " or --bootstrap-servers; --command-config for SASL/TLS)");
        assertThat(run.out()).isEmpty();
    }

    /** Review of issue 15: an address the client refuses before it connects was told without the reason. */
    @Test
    void anAddressTheClientRefusesIsOneLineNamingItAndExitOne() {
        for (String address : WrongAddresses.ALL) {
            Run run = ReplayFixtures.execute("tail", "--bootstrap-servers=" + address, "--topic=" + EVENTS);
            assertThat(run.exit()).as(address).isEqualTo(1);
            assertThat(run.err().lines())
                    .singleElement()
                    .asString()
                    .isEqualTo("switchboard tail: " + WrongAddresses.line(address));
            assertThat(run.out()).isEmpty();
        }
    }

    @Test
    void aMissingTopicIsOneLineAndExitOne() throws Exception {
        Run run = ReplayFixtures.execute("tail", "--bootstrap-servers=" + KAFKA, "--topic=it-" + RUN + ".absent");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err().lines()).singleElement().asString().contains("does not exist");
    }
}
