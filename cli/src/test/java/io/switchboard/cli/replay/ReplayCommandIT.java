package io.switchboard.cli.replay;

import static io.switchboard.cli.replay.ReplayFixtures.KAFKA;
import static io.switchboard.cli.replay.ReplayFixtures.createTopics;
import static io.switchboard.cli.replay.ReplayFixtures.encode;
import static io.switchboard.cli.replay.ReplayFixtures.endOffset;
import static io.switchboard.cli.replay.ReplayFixtures.event;
import static io.switchboard.cli.replay.ReplayFixtures.header;
import static io.switchboard.cli.replay.ReplayFixtures.readAll;
import static io.switchboard.cli.replay.ReplayFixtures.text;
import static io.switchboard.cli.replay.ReplayFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.cli.kafka.LongRead;
import io.switchboard.cli.kafka.WrongAddresses;
import io.switchboard.cli.replay.ReplayFixtures.Run;
import io.switchboard.kafka.DeadLetterHeaders;
import io.switchboard.schemas.ChannelPublish;
import io.switchboard.schemas.RealtimeEvent;
import io.switchboard.schemas.wire.PinnedSchemaRegistry;
import io.switchboard.schemas.wire.WireFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.kafka.support.KafkaHeaders;
import tools.jackson.databind.JsonNode;

/**
 * {@code switchboard replay} on a real broker (KafkaTestBroker), over events in the seeds' shapes written at known
 * record timestamps to three partitions: a selection by time and filter, the dry run, re-injection, --redeliver,
 * shadow channels, the confirmation prompt and every error as one line.
 */
class ReplayCommandIT {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String EVENTS = "it-" + RUN + ".realtime.events";
    private static final String PUBLISH = "it-" + RUN + ".realtime.publish";
    private static final String BAD = "it-" + RUN + ".bad";
    private static final String EVENTS_DLQ = EVENTS + ".dlq";
    /** Three hours ago, to the minute: within the broker's retention, and stable for the whole class. */
    private static final Instant BASE = Instant.now().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MINUTES);

    private static final String STEP_A1 = "{\"audit_id\":\"A1\",\"fiche_id\":\"F1\",\"step_position\":2,"
            + "\"step_name\":\"Identification\",\"score\":8,\"max_score\":10,\"conforme\":true,"
            + "\"total_citations\":3,\"tokens_used\":1520,\"status\":\"completed\"}";
    private static final String RERUN_A1 = "{\"rerun_id\":\"R7\",\"audit_id\":\"A1\",\"step_position\":2,"
            + "\"original\":{\"score\":6},\"rerun\":{\"score\":8},\"comparison\":{\"delta\":2}}";
    private static final String TRANSCRIPTION_F1 = "{\"fiche_id\":\"F1\",\"total_recordings\":4,\"transcribed\":2,"
            + "\"pending\":2,\"failed\":0,\"progress_percentage\":50,\"status\":\"in_progress\"}";
    private static final String QA_RUN = "{\"type\":\"qa.run.progress\",\"ts\":\"2026-02-27T10:00:00Z\",\"org_id\":1,"
            + "\"actor_id\":10,\"qa_run_id\":123,\"status\":\"running\",\"stage\":\"render\",\"percent\":42,"
            + "\"message\":\"Rendering density heatmap\",\"meta\":{\"queue\":\"render\"}}";
    private static final String STEP_A2 = STEP_A1.replace("A1", "A2").replace("F1", "F2");

    private static final Map<String, byte[]> VALUES = new HashMap<>();

    @BeforeAll
    static void writeEvents() {
        createTopics(3, EVENTS);
        createTopics(1, PUBLISH, BAD, EVENTS_DLQ);
        put("e1", "audit.step_completed", "A1", STEP_A1, 0, 0);
        put("e2", "audit.step_completed", "A1", RERUN_A1, 0, 10);
        put("e3", "transcription.progress", "F1", TRANSCRIPTION_F1, 1, 20);
        put("e6", "pusher:subscribe", "X", "{\"audit_id\":\"A1\"}", 2, 25);
        put("e4", "qa.run.progress", "run-123", QA_RUN, 2, 30);
        put("e5", "audit.step_completed", "A2", STEP_A2, 1, 40);

        ChannelPublish routed = ChannelPublish.newBuilder()
                .setEventId("p1")
                .setName("audit.step_completed")
                .setChannels(List.of("private-audit-A1", "private-fiche-F1"))
                .setData(STEP_A1)
                .setOccurredAt(BASE)
                .setRoutedAt(BASE)
                .setHeaders(Map.of())
                .build();
        write(PUBLISH, 0, BASE, "A1", encode(PUBLISH, routed));
        write(BAD, 0, BASE, "A1", new byte[] {0, 0, 0, 0x27, 0x0f, 2, 4, 6});
        writeDeadLetters();
    }

    /** A router dead letter (the original Avro bytes) and a relay one (an outbox row as JSON), as docs/dead-letters.md. */
    private static void writeDeadLetters() {
        try (var producer = ReplayFixtures.producer()) {
            RecordHeaders router = new RecordHeaders();
            router.add("traceparent", ReplayFixtures.bytes("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
            DeadLetterHeaders.add(router, "router", "UNSAFE_PLACEHOLDER", "audit_id has a separator", "d1");
            router.add(KafkaHeaders.DLT_ORIGINAL_TOPIC, ReplayFixtures.bytes(EVENTS));
            byte[] value = encode(EVENTS, event("d1", "audit.step_completed", "A3", STEP_A1.replace("A1", "A3")));
            VALUES.put("d1", value);
            producer.send(new ProducerRecord<>(EVENTS_DLQ, 0, null, ReplayFixtures.bytes("A3"), value, router))
                    .get();
            RecordHeaders relay = new RecordHeaders();
            DeadLetterHeaders.add(relay, "relay", "MISSING_TYPE", "row 42 has no type", "d2");
            producer.send(new ProducerRecord<>(
                            EVENTS_DLQ,
                            0,
                            null,
                            ReplayFixtures.bytes("A4"),
                            ReplayFixtures.bytes("{\"id\":42,\"type\":null}"),
                            relay))
                    .get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void put(String id, String type, String key, String payload, int partition, int minutes) {
        byte[] value = encode(EVENTS, event(id, type, key, payload));
        VALUES.put(id, value);
        write(EVENTS, partition, BASE.plus(minutes, ChronoUnit.MINUTES), key, value);
    }

    private static String at(int minutes) {
        return BASE.plus(minutes, ChronoUnit.MINUTES).toString();
    }

    private static Run replay(String... args) {
        return replayWith(null, args);
    }

    private static Run replayWith(Prompt prompt, String... args) {
        List<String> all = new ArrayList<>(List.of("replay", "--bootstrap-servers=" + KAFKA, "--topic=" + EVENTS));
        all.addAll(List.of(args));
        return ReplayFixtures.execute(
                cli -> {
                    if (prompt != null) {
                        ((ReplayCommand) cli.getSubcommands().get("replay").getCommand()).prompt = prompt;
                    }
                },
                all.toArray(String[]::new));
    }

    private static String newTopic(String name) {
        String topic = "it-" + RUN + "." + name;
        createTopics(1, topic);
        return topic;
    }

    private static List<String> ids(Run run) {
        return run.json().stream()
                .map(l -> l.get("value").get("event_id").asString())
                .toList();
    }

    @Test
    void aTimeRangeSelectsExactlyTheEventsWrittenWithinItAndTheFilters() {
        Run window = replay("--from=" + at(5), "--to=" + at(35), "--json");
        assertThat(window.exit()).as(window.err()).isZero();
        assertThat(ids(window)).containsExactlyInAnyOrder("e2", "e3", "e6", "e4");

        assertThat(ids(replay("--from=" + at(0), "--to=" + at(35), "--type=audit.*", "--json")))
                .containsExactly("e1", "e2");
        assertThat(ids(replay("--from=" + at(0), "--to=" + at(35), "--field=fiche_id=F1", "--json")))
                .containsExactlyInAnyOrder("e1", "e3");
        assertThat(ids(replay("--from=" + at(0), "--to=" + at(60), "--key=A2", "--json")))
                .containsExactly("e5");
        assertThat(ids(replay("--partition=2", "--from-offset=1", "--json"))).containsExactly("e4");
        assertThat(ids(replay("--event-id=e3,e5", "--json"))).containsExactlyInAnyOrder("e3", "e5");
    }

    @Test
    void aDryRunPrintsEachEventWithTheRoutingDecisionItWouldGetTodayAndPublishesNothing() {
        String target = newTopic("dry-target");
        long before = endOffset(EVENTS);
        Run json = replay("--from=" + at(0), "--to=" + at(35), "--json");
        Map<String, JsonNode> byId = new HashMap<>();
        json.json().forEach(l -> byId.put(l.get("value").get("event_id").asString(), l));
        assertThat(byId.get("e1").get("routing").get("rule").asString()).isEqualTo("audits");
        assertThat(byId.get("e1").get("routing").get("channels").values())
                .extracting(JsonNode::asString)
                .containsExactly("private-audit-A1", "private-fiche-F1");
        assertThat(byId.get("e2").get("routing").get("channels").values())
                .extracting(JsonNode::asString)
                .containsExactly("private-audit-A1");
        assertThat(byId.get("e4").get("routing").get("channels").values())
                .extracting(JsonNode::asString)
                .containsExactly("private-org.1");
        assertThat(byId.get("e6").get("routing").get("refused").asString()).startsWith("RESERVED_EVENT_NAME");
        assertThat(byId.get("e1").get("value").get("payload").get("score").asInt())
                .isEqualTo(8);
        assertThat(byId.get("e1").get("headers").get("traceparent").asString()).startsWith("00-4bf92f35");

        Run people = replay("--from=" + at(0), "--to=" + at(35));
        assertThat(people.exit()).isZero();
        assertThat(people.out())
                .contains("audit.step_completed  e1  key=A1  -> private-audit-A1 private-fiche-F1 (rule audits)")
                .contains("pusher:subscribe  e6  key=X  refused: RESERVED_EVENT_NAME")
                .contains("dry run: 5 events selected in " + EVENTS)
                .contains("nothing was published");
        assertThat(endOffset(EVENTS)).isEqualTo(before);
        assertThat(endOffset(target)).isZero();

        Run publish = execute("replay", "--bootstrap-servers=" + KAFKA, "--topic=" + PUBLISH);
        assertThat(publish.out()).contains("p1  key=A1  -> private-audit-A1 private-fiche-F1 (already routed)");
    }

    @Test
    void toTopicReinjectsExactlyTheSelectionWithReplayHeaders() {
        String target = newTopic("reinjected");
        Run run = replay("--event-id=e1,e3", "--to-topic=" + target, "--yes", "--rate=20/s");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("replayed 2 events from " + EVENTS)
                .contains("skipped as duplicates")
                .contains("--redeliver");

        List<ConsumerRecord<byte[], byte[]>> sent = readAll(target);
        assertThat(sent).hasSize(2);
        Map<String, byte[]> byKey = new HashMap<>();
        sent.forEach(r -> byKey.put(text(r.key()), r.value()));
        assertThat(byKey.get("A1")).isEqualTo(VALUES.get("e1"));
        assertThat(byKey.get("F1")).isEqualTo(VALUES.get("e3"));
        assertThat(sent).allSatisfy(r -> {
            assertThat(header(r, "traceparent")).startsWith("00-4bf92f35");
            assertThat(header(r, ReplayCommand.REPLAY_FROM)).startsWith(EVENTS + ":");
            assertThat(Instant.parse(header(r, ReplayCommand.REPLAY_AT))).isBeforeOrEqualTo(Instant.now());
            assertThat(header(r, ReplayCommand.REPLAY_OF)).isNull();
        });
        assertThat(header(sent.get(0), ReplayCommand.REPLAY_ID))
                .isEqualTo(header(sent.get(1), ReplayCommand.REPLAY_ID))
                .isNotBlank();
    }

    /** --rate bounds the sends: N records at R a second span at least (N - 1) / R seconds (a lower bound only). */
    @Test
    void toTopicIsPacedByRate() {
        String target = newTopic("paced");
        Run run = replay("--from=" + at(0), "--to=" + at(60), "--to-topic=" + target, "--rate=5/s", "--yes");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("replayed 6 events from " + EVENTS);

        List<Long> times =
                readAll(target).stream().map(ConsumerRecord::timestamp).sorted().toList();
        assertThat(times).hasSize(6);
        assertThat(times.get(5) - times.get(0))
                .as("6 records at 5/s: at least 1 s from the first to the last")
                .isGreaterThanOrEqualTo(990);
    }

    /** A long read says how far it is, its rate and what is left, on standard error (stdout stays the answer). */
    @Test
    void aLongReadReportsItsProgressWithRateAndEta(@TempDir Path dir) throws IOException {
        String topic = newTopic("long");
        LongRead.write(
                KAFKA,
                topic,
                ReplayFixtures.bytes("A1"),
                encode(topic, event("long", "audit.step_completed", "A1", STEP_A1)));
        Run run = ReplayFixtures.execute(
                "replay",
                "--bootstrap-servers=" + KAFKA,
                "--topic=" + topic,
                "--type=nothing.*",
                "--command-config=" + LongRead.slowFetchConfig(dir));
        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).containsPattern(LongRead.PROGRESS);
        List<String> err = run.err().lines().toList();
        assertThat(err.get(err.size() - 1))
                .isEqualTo("switchboard replay: none of the 12000 records in " + topic
                        + " at any time matches --type 'nothing.*'");
    }

    /**
     * Review of issue 15: replay held every record of its window before it filtered, so a window larger than the heap
     * ended in an OutOfMemoryError; now records are decoded and filtered as they are read and only the selection is
     * held. 60 MB of events, read by the built jar with 48 MB of heap (and fetches bounded to 1 MB, so the client's
     * own buffers stay small).
     */
    @Test
    void aWindowLargerThanTheHeapIsFilteredAsItIsRead(@TempDir Path dir) throws Exception {
        String topic = newTopic("large");
        String payload = "{\"audit_id\":\"A1\",\"note\":\"" + "x".repeat(200_000) + "\"}";
        byte[] value = encode(topic, event("large", "audit.step_completed", "A1", payload));
        int records = 300;
        try (var producer = ReplayFixtures.producer()) {
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(topic, 0, null, ReplayFixtures.bytes("A1"), value));
            }
            producer.flush();
        }
        Path config = Files.writeString(
                dir.resolve("small-fetches.properties"),
                "fetch.max.bytes=1048576\nmax.partition.fetch.bytes=1048576\n");
        Process process = new ProcessBuilder(
                        ReplayFixtures.java(),
                        "-Xmx48m",
                        "-jar",
                        ReplayFixtures.execJar(),
                        "replay",
                        "--bootstrap-servers=" + KAFKA,
                        "--topic=" + topic,
                        "--type=nothing.*",
                        "--command-config=" + config)
                .redirectOutput(dir.resolve("out").toFile())
                .redirectError(dir.resolve("err").toFile())
                .start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String out = Files.readString(dir.resolve("out"));
        String err = Files.readString(dir.resolve("err"));
        System.out.println("$ java -Xmx48m -jar cli-exec.jar replay --topic=" + topic + " --type=nothing.* ...\n" + out
                + err + "[exit " + process.exitValue() + "]");
        assertThat(process.exitValue()).as(err).isEqualTo(3);
        assertThat(err.lines())
                .singleElement()
                .asString()
                .isEqualTo("switchboard replay: none of the " + records + " records in " + topic
                        + " at any time matches --type 'nothing.*'");
        assertThat(out).isEmpty();
    }

    @Test
    void aDeadLetterTopicReplaysItsEventsWithoutTheDeadLetterHeadersAndSkipsRelayRows() {
        Run dry = ReplayFixtures.execute("replay", "--bootstrap-servers=" + KAFKA, "--topic=" + EVENTS_DLQ);
        assertThat(dry.exit()).as(dry.err()).isZero();
        assertThat(dry.out())
                .contains("audit.step_completed  d1  key=A3  -> private-audit-A3 private-fiche-F1 (rule audits)")
                .contains("dry run: 1 event selected in " + EVENTS_DLQ + " at any time (1 relay dead letters skipped)");

        String target = newTopic("from-dlq");
        Run run = ReplayFixtures.execute(
                "replay", "--bootstrap-servers=" + KAFKA, "--topic=" + EVENTS_DLQ, "--to-topic=" + target, "--yes");
        assertThat(run.exit()).as(run.err()).isZero();
        ConsumerRecord<byte[], byte[]> record = readAll(target).get(0);
        assertThat(record.value()).isEqualTo(VALUES.get("d1"));
        assertThat(header(record, DeadLetterHeaders.REASON)).isNull();
        assertThat(header(record, DeadLetterHeaders.STAGE)).isNull();
        assertThat(header(record, KafkaHeaders.DLT_ORIGINAL_TOPIC)).isNull();
        assertThat(header(record, "traceparent")).startsWith("00-4bf92f35");
        assertThat(header(record, ReplayCommand.REPLAY_FROM)).isEqualTo(EVENTS_DLQ + ":0:0");
        assertThat(readAll(target)).hasSize(1);
    }

    @Test
    void redeliverGivesEachRecordANewEventIdAndSaysWhichItReplays() {
        String target = newTopic("redelivered");
        Run run = replay("--event-id=e1", "--to-topic=" + target, "--redeliver", "--yes");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).doesNotContain("skipped as duplicates");

        ConsumerRecord<byte[], byte[]> record = readAll(target).get(0);
        RealtimeEvent replayed =
                WireFormat.decode(record.value(), PinnedSchemaRegistry.instance(), RealtimeEvent.getClassSchema());
        assertThat(replayed.getEventId()).isNotEqualTo("e1").matches("[0-9a-f-]{36}");
        assertThat(header(record, ReplayCommand.REPLAY_OF)).isEqualTo("e1");
        assertThat(replayed.getHeaders()).containsEntry(ReplayCommand.REPLAY_OF, "e1");
        assertThat(replayed.getPayload()).isEqualTo(STEP_A1);
        assertThat(replayed.getType()).isEqualTo("audit.step_completed");
        assertThat(run.out()).contains("e1 as " + replayed.getEventId());
    }

    @Test
    void shadowPrefixWritesChannelPublishesOnlyToShadowChannels() {
        String shadow = newTopic("shadow.publish");
        Run run = replay(
                "--from=" + at(0), "--to=" + at(35), "--shadow-prefix=debug-", "--publish-topic=" + shadow, "--yes");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("-> private-debug-audit-A1 private-debug-fiche-F1")
                .contains("skipped " + EVENTS)
                .contains("4 events from " + EVENTS)
                .contains("1 refused by routing skipped");

        List<ChannelPublish> published = readAll(shadow).stream()
                .map(r -> WireFormat.<ChannelPublish>decode(
                        r.value(), PinnedSchemaRegistry.instance(), ChannelPublish.getClassSchema()))
                .toList();
        assertThat(published).hasSize(4);
        assertThat(published)
                .flatExtracting(ChannelPublish::getChannels)
                .allSatisfy(channel -> assertThat(channel).startsWith("private-debug-"));
        ChannelPublish step = published.stream()
                .filter(p -> p.getEventId().equals("e1"))
                .findFirst()
                .orElseThrow();
        assertThat(step.getChannels()).containsExactly("private-debug-audit-A1", "private-debug-fiche-F1");
        assertThat(step.getData()).isEqualTo(STEP_A1);
        assertThat(step.getHeaders()).containsKey(ReplayCommand.REPLAY_ID);
    }

    @Test
    void publishingAsksFirstAndRefusesWithoutATerminalUnlessYes() {
        String target = newTopic("prompted");
        Run refused = replay("--event-id=e1", "--to-topic=" + target);
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.err().lines())
                .singleElement()
                .asString()
                .contains("refusing to publish 1 event without --yes: standard input is not a terminal");
        assertThat(endOffset(target)).isZero();

        List<String> questions = new ArrayList<>();
        Run no = replayWith(
                q -> {
                    questions.add(q);
                    return "n";
                },
                "--event-id=e1,e3",
                "--to-topic=" + target);
        assertThat(no.exit()).isZero();
        assertThat(questions).containsExactly("Replay 2 events to " + target + "? [y/N] ");
        assertThat(no.out()).contains("nothing was published");
        assertThat(endOffset(target)).isZero();

        Run yes = replayWith(q -> "y", "--event-id=e1", "--to-topic=" + target);
        assertThat(yes.exit()).as(yes.err()).isZero();
        assertThat(endOffset(target)).isEqualTo(1);
    }

    /**
     * The question on a real terminal: the built jar runs under util-linux {@code script}, which gives it a
     * pseudo-terminal, so {@link Prompt#console()} reads the answer typed there.
     */
    @Test
    void onATerminalTheQuestionShowsTheCountAndYesPublishes() throws Exception {
        String target = newTopic("terminal");
        String jar = ReplayFixtures.execJar();
        String java = ReplayFixtures.java();
        String command = String.join(
                " ",
                java,
                "-jar",
                jar,
                "replay",
                "--bootstrap-servers=" + KAFKA,
                "--topic=" + EVENTS,
                "--event-id=e1,e3",
                "--to-topic=" + target);
        Process process = new ProcessBuilder("script", "-qec", command, "/dev/null")
                .redirectErrorStream(true)
                .start();
        StringBuffer terminal = new StringBuffer();
        Thread reader = new Thread(() -> {
            try (InputStream in = process.getInputStream()) {
                byte[] buffer = new byte[4096];
                int n;
                while ((n = in.read(buffer)) > 0) {
                    terminal.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                // the process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        try {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> terminal.toString().contains("Replay 2 events to " + target + "? [y/N]"));
            assertThat(endOffset(target)).isZero();
            try (OutputStream in = process.getOutputStream()) {
                in.write("y\n".getBytes(StandardCharsets.UTF_8));
            }
            assertThat(process.waitFor(30, TimeUnit.SECONDS))
                    .as(terminal.toString())
                    .isTrue();
            assertThat(process.exitValue()).as(terminal.toString()).isZero();
            assertThat(endOffset(target)).isEqualTo(2);
            assertThat(terminal.toString()).contains("replayed 2 events from " + EVENTS);
        } finally {
            process.destroyForcibly();
        }
    }

    /**
     * Review of issue 15: ChannelPublish records replayed into an events topic (or shadow publishes written to one)
     * would all be dead-lettered by the router; the replay is refused before anything is sent.
     */
    @Test
    void aReplayIntoASwitchboardTopicOfTheOtherValueTypeIsRefused() {
        long events = endOffset(EVENTS);
        Run publishes = execute(
                "replay", "--bootstrap-servers=" + KAFKA, "--topic=" + PUBLISH, "--to-topic=" + EVENTS, "--yes");
        assertThat(publishes.exit()).isEqualTo(2);
        assertThat(publishes.err().lines())
                .singleElement()
                .asString()
                .isEqualTo("switchboard replay: --to-topic " + EVENTS + " holds RealtimeEvent records, but 1 of the 1"
                        + " selected in " + PUBLISH + " is a ChannelPublish record: nothing was sent (the consumer of "
                        + EVENTS + " would dead-letter it)");
        assertThat(publishes.out()).isEmpty();

        Run shadow = replay("--event-id=e1", "--shadow-prefix=debug-", "--publish-topic=" + EVENTS, "--yes");
        assertThat(shadow.exit()).isEqualTo(2);
        assertThat(shadow.err().lines())
                .singleElement()
                .asString()
                .isEqualTo("switchboard replay: --publish-topic " + EVENTS + " holds RealtimeEvent records, but"
                        + " --shadow-prefix writes ChannelPublish records (the publisher's input, e.g."
                        + " realtime.publish)");
        assertThat(endOffset(EVENTS)).isEqualTo(events);
    }

    @Test
    void errorsAreOneLineWithANonZeroExit() {
        Run unreachable = execute("replay", "--bootstrap-servers=127.0.0.1:1", "--timeout=3s");
        assertThat(unreachable.exit()).isEqualTo(1);
        assertThat(unreachable.err().lines()).singleElement().asString().contains("cannot reach Kafka at 127.0.0.1:1");

        // review of issue 15: an address the client refuses before it connects was told without the reason
        for (String address : WrongAddresses.ALL) {
            Run wrong = execute("replay", "--bootstrap-servers=" + address);
            assertThat(wrong.exit()).as(address).isEqualTo(1);
            assertThat(wrong.err().lines())
                    .singleElement()
                    .asString()
                    .isEqualTo("switchboard replay: " + WrongAddresses.line(address));
            assertThat(wrong.out()).isEmpty();
        }

        Run missing = execute("replay", "--bootstrap-servers=" + KAFKA, "--topic=it-" + RUN + ".no-such-topic");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err().lines())
                .singleElement()
                .asString()
                .contains("topic it-" + RUN + ".no-such-topic does not exist");

        Run unknownSchema = execute("replay", "--bootstrap-servers=" + KAFKA, "--topic=" + BAD);
        assertThat(unknownSchema.exit()).isEqualTo(1);
        assertThat(unknownSchema.err().lines())
                .singleElement()
                .asString()
                .contains("cannot decode " + BAD + ":0:0: UNKNOWN_SCHEMA_ID: schema id 9999");

        Run noData = replay("--from=2020-01-01T00:00:00Z", "--to=2020-01-02T00:00:00Z");
        assertThat(noData.exit()).isEqualTo(3);
        assertThat(noData.err().lines())
                .singleElement()
                .asString()
                .contains("no records in " + EVENTS + " between 2020-01-01T00:00:00Z and 2020-01-02T00:00:00Z");

        Run noMatch = replay("--type=nothing.*", "--field=fiche_id=F1");
        assertThat(noMatch.exit()).isEqualTo(3);
        assertThat(noMatch.err().lines())
                .singleElement()
                .asString()
                .contains("none of the 6 records in " + EVENTS + " at any time matches --type 'nothing.*'"
                        + " --field fiche_id=F1");

        Run noPartition = replay("--partition=7");
        assertThat(noPartition.exit()).isEqualTo(1);
        assertThat(noPartition.err().lines()).singleElement().asString().contains("has no partition 7");

        Run window = replay("--since=1h", "--from=2026-01-01T00:00:00Z");
        assertThat(window.exit()).isEqualTo(2);
        assertThat(window.err().lines()).singleElement().asString().contains("--since cannot be combined");

        Run badPrefix = replay("--shadow-prefix=private-", "--yes");
        assertThat(badPrefix.exit()).isEqualTo(2);
        assertThat(badPrefix.err().lines()).singleElement().asString().contains("starts with private-");

        Run missingTarget = replay("--to-topic=it-" + RUN + ".nowhere", "--yes");
        assertThat(missingTarget.exit()).isEqualTo(1);
        assertThat(missingTarget.err().lines())
                .singleElement()
                .asString()
                .contains("topic it-" + RUN + ".nowhere does not exist");
    }

    private static Run execute(String... args) {
        return ReplayFixtures.execute(args);
    }
}
