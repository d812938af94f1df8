package io.switchboard.cli.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.cli.SwitchboardCommand;
import io.switchboard.cli.kafka.WrongAddresses;
import io.switchboard.publisher.PublisherApplication;
import io.switchboard.router.RouterApplication;
import io.switchboard.schemas.RealtimeEvent;
import io.switchboard.schemas.wire.AvroSerializer;
import io.switchboard.testkit.KafkaTestBroker;
import io.switchboard.testkit.PusherStandIn;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code switchboard trace} against what a running router and publisher leave behind on a real broker (the Pusher
 * stand-in answering): a delivered event, a dead letter of each stage (one refused by Pusher with its status and
 * message), a progress-guard drop and a duplicate skip, each explained with its reason; a shadow replay and a
 * redelivery told apart from the first delivery; and its one-line errors.
 */
class TraceCommandIT {

    private static final String KAFKA = KafkaTestBroker.bootstrapServers();
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final long OUTBOX_ROWS = ThreadLocalRandom.current().nextLong(1_000_000L, 1_000_000_000L) * 10;
    private static final String BAD = "it-" + RUN + ".trace.bad";
    /** What the Pusher stand-in answers the "refused" event: a permanent refusal, with Pusher's message. */
    private static final String PUSHER_413 = "Payload too large: the data of event refused is over 10240 bytes";

    private static final List<ConfigurableApplicationContext> services = new ArrayList<>();
    private static PusherStandIn pusher;
    /** After the first copy of "ok" was accepted and before its second copy was sent. */
    private static Instant betweenCopies;

    record Run(int exit, String out, String err) {}

    @BeforeAll
    static void startPipelineAndSendSeedEvents() throws Exception {
        pusher = new PusherStandIn("app-1", "key-1", "secret-of-the-stand-in-0123456789");
        List<String> common = List.of(
                "--spring.kafka.bootstrap-servers=" + KAFKA,
                "--server.port=0",
                "--spring.kafka.consumer.auto-offset-reset=earliest");
        services.add(RouterApplication.builder().run(common.toArray(String[]::new)));
        List<String> publisher = new ArrayList<>(common);
        publisher.addAll(pusher.publisherArgs());
        services.add(PublisherApplication.builder().run(publisher.toArray(String[]::new)));

        try (KafkaProducer<String, RealtimeEvent> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA),
                new StringSerializer(),
                new AvroSerializer<>())) {
            // seed 002: an audit step completes, for the audit and its fiche
            send(
                    producer,
                    event(
                            "ok",
                            "audit.step_completed",
                            "audit-" + RUN,
                            "{\"audit_id\":\"A" + RUN + "\",\"fiche_id\":\"F" + RUN
                                    + "\",\"step_position\":3,\"status\":\"completed\"}",
                            null));
            // a placeholder value that would reach another channel: the router refuses it
            send(
                    producer,
                    event(
                            "bad",
                            "audit.step_completed",
                            "audit-bad-" + RUN,
                            "{\"audit_id\":\"A.private-org.1\"}",
                            null));
            // an end-to-end encrypted channel and no master key: the publisher refuses to send it in clear
            send(
                    producer,
                    event(
                            "enc",
                            "audit.step_completed",
                            "audit-enc-" + RUN,
                            "{\"audit_id\":\"A" + RUN + "\"}",
                            List.of("private-encrypted-audit-A" + RUN)));
            // progress going back within a run: the guard drops 30 after 50
            for (int percent : new int[] {50, 30}) {
                send(
                        producer,
                        event(
                                "p" + percent,
                                "audit.progress",
                                "audit-p-" + RUN,
                                "{\"audit_id\":\"P" + RUN + "\",\"progress_percentage\":" + percent + "}",
                                null));
            }
            // an event that the replay tests re-send: to shadow channels, and as a redelivered copy
            send(
                    producer,
                    event(
                            "sh",
                            "audit.step_completed",
                            "audit-sh-" + RUN,
                            "{\"audit_id\":\"S" + RUN + "\",\"step_position\":1}",
                            null));
        }
        writeBadTopic();
        await().atMost(Duration.ofSeconds(60))
                .until(() -> List.of("private-fiche-F" + RUN, "private-audit-P" + RUN, "private-audit-S" + RUN).stream()
                        .allMatch(channel -> pusher.delivered().stream()
                                .anyMatch(d -> d.channel().equals(channel))));
        // once the first copy of "ok" has its acceptance receipt on the ledger, a window from here on holds the
        // second copy alone
        traceUntil("Pusher accepted it on private-audit-A" + RUN, "--event-id=" + RUN + "-ok");
        betweenCopies = Instant.now();
        // every request so far is answered: Pusher's next answer is for the "refused" event, the only one to come
        int requests = pusher.requests();
        pusher.failNext(new PusherStandIn.Fault(413, PUSHER_413, null));
        try (KafkaProducer<String, RealtimeEvent> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA),
                new StringSerializer(),
                new AvroSerializer<>())) {
            // Pusher refuses it for good (413): the publisher dead-letters it with the status and Pusher's message
            send(
                    producer,
                    event(
                            "refused",
                            "audit.step_completed",
                            "audit-refused-" + RUN,
                            "{\"audit_id\":\"R" + RUN + "\",\"step_position\":2}",
                            null));
            // the same event again (a relay crash republishes it): the publisher's dedupe skips it
            send(
                    producer,
                    event(
                            "ok",
                            "audit.step_completed",
                            "audit-" + RUN,
                            "{\"audit_id\":\"A" + RUN + "\",\"fiche_id\":\"F" + RUN
                                    + "\",\"step_position\":3,\"status\":\"completed\"}",
                            null));
        }
        // the refusal is consumed before any test sends anything that Pusher could be asked
        await().atMost(Duration.ofSeconds(60)).until(() -> pusher.requests() > requests);
    }

    /**
     * An events topic holding a record whose schema id is unknown (written with another registry) and a good event:
     * the trace skips the first with a note, and says it when nothing else matches.
     */
    private static void writeBadTopic() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA))) {
            admin.createTopics(List.of(new NewTopic(BAD, 1, (short) 1))).all().get();
        }
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(
                            BAD, "audit-bad".getBytes(StandardCharsets.UTF_8), new byte[] {0, 0, 0, 0x27, 0x0f, 2, 4, 6
                            }))
                    .get();
            RealtimeEvent good = event("in-bad", "audit.step_completed", "audit-in-bad-" + RUN, "{}", null);
            producer.send(new ProducerRecord<>(
                            BAD,
                            good.getAggregateId().getBytes(StandardCharsets.UTF_8),
                            new AvroSerializer<RealtimeEvent>().serialize(BAD, good)))
                    .get();
        }
    }

    @AfterAll
    static void stop() {
        services.forEach(ConfigurableApplicationContext::close);
        if (pusher != null) {
            pusher.close();
        }
    }

    private static void send(KafkaProducer<String, RealtimeEvent> producer, RealtimeEvent event) throws Exception {
        producer.send(new ProducerRecord<>("realtime.events", event.getAggregateId(), event))
                .get();
    }

    private static RealtimeEvent event(
            String id, String type, String aggregate, String payload, List<String> channels) {
        return RealtimeEvent.newBuilder()
                .setEventId(RUN + "-" + id)
                .setType(type)
                .setOccurredAt(Instant.now())
                .setSource("audit-service")
                .setAggregateType("audit")
                .setAggregateId(aggregate)
                .setPayload(payload)
                .setChannels(channels)
                .setHeaders(Map.of("switchboard-outbox-id", outboxId(id)))
                .build();
    }

    /** The outbox row id the relay would have written: one per event, unique to this run (the topics are shared). */
    private static String outboxId(String id) {
        return Long.toString(OUTBOX_ROWS
                + List.of("ok", "bad", "enc", "p50", "p30", "sh", "refused").indexOf(id));
    }

    static Run execute(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new SwitchboardCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        System.out.println("$ switchboard " + String.join(" ", args) + "\n" + out + err + "[exit " + exit + "]");
        return new Run(exit, out.toString(), err.toString());
    }

    /** Traces until the answer says {@code expected} (receipts are written asynchronously). */
    private static Run traceUntil(String expected, String... args) {
        List<String> all = new ArrayList<>(List.of("trace", "--bootstrap-servers=" + KAFKA, "--since=15m"));
        all.addAll(List.of(args));
        Run[] last = new Run[1];
        await().atMost(Duration.ofSeconds(40))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    last[0] = execute(all.toArray(String[]::new));
                    assertThat(last[0].out()).contains(expected);
                });
        return last[0];
    }

    @Test
    void aDeliveredEventSaysWherePusherAcceptedItWhenAndThatDisconnectedBrowsersMissIt() {
        Run run = traceUntil("skipped as a duplicate", "--event-id=" + RUN + "-ok");
        assertThat(run.exit()).isZero();
        assertThat(run.out())
                .contains("event " + RUN + "-ok  audit.step_completed  aggregate audit-" + RUN)
                .contains("relayed     realtime.events")
                .contains("routed by rule 'audits' to private-audit-A" + RUN + ", private-fiche-F" + RUN)
                .contains("Pusher accepted it on private-audit-A" + RUN + ", private-fiche-F" + RUN)
                .contains("1 attempt(s), HTTP 200")
                .contains("skipped as a duplicate on private-audit-A" + RUN + ", private-fiche-F" + RUN)
                .contains("answer      Pusher accepted it on private-audit-A" + RUN + ", private-fiche-F" + RUN)
                .contains("Pusher keeps nothing for clients that were not connected then");
    }

    /**
     * The second copy of a delivered event, traced from after the first copy's acceptance: the duplicate skip is its
     * only outcome, and the answer says so (issue 15 review: only the journey line was tested).
     */
    @Test
    void aCopyTracedWithoutItsFirstDeliveryIsAnsweredAsSkippedAsADuplicate() {
        List<String> args = List.of(
                "trace", "--bootstrap-servers=" + KAFKA, "--from=" + betweenCopies, "--event-id=" + RUN + "-ok");
        Run[] last = new Run[1];
        await().atMost(Duration.ofSeconds(40))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    last[0] = execute(args.toArray(String[]::new));
                    assertThat(last[0].out()).contains("answer      Skipped as a duplicate");
                });
        assertThat(last[0].out())
                .doesNotContain("Pusher accepted it")
                .contains("answer      Skipped as a duplicate: it had already been delivered to private-audit-A"
                        + RUN + ", private-fiche-F" + RUN + " (an earlier copy's receipt may be older than the"
                        + " window).");
    }

    /** A permanent refusal: the trace shows Pusher's status, the attempts and Pusher's own message (issue 15). */
    @Test
    void aPusherRefusalIsTracedWithItsStatusAndPushersMessage() {
        Run run = traceUntil("answer      Not delivered", "--event-id=" + RUN + "-refused");
        assertThat(run.out())
                .contains("routed by rule 'audits' to private-audit-R" + RUN)
                .contains("publisher   dead-lettered: PUSHER_REJECTED, HTTP 413, 1 attempt(s): Pusher did not accept"
                        + " event " + RUN + "-refused after 1 attempt(s): PERMANENT HTTP 413 " + PUSHER_413)
                .contains("answer      Not delivered: the publisher dead-lettered it as PUSHER_REJECTED (Pusher did not"
                        + " accept event " + RUN + "-refused after 1 attempt(s): PERMANENT HTTP 413 " + PUSHER_413
                        + ").");
    }

    /**
     * A shadow replay keeps the event id and a redelivery gives it a new one: the trace of the original tells the
     * shadow's delivery apart (never as the users') and lists the redelivered copy with its own journey.
     */
    @Test
    void aShadowReplayAndARedeliveryAreToldApartFromTheFirstDelivery() {
        String id = RUN + "-sh";
        Run shadow = execute(
                "replay",
                "--bootstrap-servers=" + KAFKA,
                "--since=15m",
                "--event-id=" + id,
                "--shadow-prefix=debug-",
                "--yes");
        assertThat(shadow.exit()).as(shadow.err()).isZero();
        Run redeliver = execute(
                "replay",
                "--bootstrap-servers=" + KAFKA,
                "--since=15m",
                "--event-id=" + id,
                "--to-topic=realtime.events",
                "--redeliver",
                "--yes");
        assertThat(redeliver.exit()).as(redeliver.err()).isZero();

        Run run = traceUntil("shadow replay delivered to private-debug-audit-S" + RUN, "--event-id=" + id);
        List<String> answers =
                run.out().lines().filter(l -> l.startsWith("  answer")).toList();
        assertThat(answers).hasSize(2); // the original and its redelivered copy
        assertThat(answers.get(0))
                .startsWith("  answer      Pusher accepted it on private-audit-S" + RUN + " at ")
                .contains(" A shadow replay delivered it to private-debug-audit-S" + RUN + " at ")
                .contains("A replay redelivered it as ");
        assertThat(answers.get(0).substring(0, answers.get(0).indexOf(" A shadow replay")))
                .as("the shadow channel is not where Pusher accepted it for users")
                .doesNotContain("debug");
        assertThat(run.out())
                .contains("replay      shadow replay ")
                .contains("(prefix debug-) to private-debug-audit-S" + RUN + ", not the users' channels")
                .contains("replay      a copy of event " + id + " sent again with a new id by replay ");
        JsonNode json = JsonMapper.builder()
                .build()
                .readTree(traceUntil("private-debug-audit-S" + RUN, "--event-id=" + id, "--json")
                        .out()
                        .lines()
                        .findFirst()
                        .orElseThrow());
        assertThat(json.get("accepted_on").toString()).doesNotContain("debug");
        assertThat(json.get("shadow_delivered_on").toString()).contains("private-debug-audit-S" + RUN);
        Run forTheShadowChannel =
                traceUntil("A shadow replay", "--event-id=" + id, "--channel=private-debug-audit-S" + RUN);
        assertThat(forTheShadowChannel.out())
                .contains("answer      A shadow replay delivered it to private-debug-audit-S" + RUN + " at ");
    }

    @Test
    void aUserOnAChannelGetsTheAnswerForThatChannel() {
        Run mine = traceUntil("Pusher accepted it", "--event-id=" + RUN + "-ok", "--channel=private-fiche-F" + RUN);
        assertThat(mine.out()).contains("answer      Pusher accepted it on private-fiche-F" + RUN + " at ");
        Run everyOnTheChannel = traceUntil("Pusher accepted it", "--channel=private-fiche-F" + RUN);
        assertThat(everyOnTheChannel.out())
                .as("--channel alone: the events that reached the channel")
                .contains("event " + RUN + "-ok ")
                .doesNotContain("event " + RUN + "-bad ");
        Run other = traceUntil("never meant", "--event-id=" + RUN + "-ok", "--channel=private-fiche-OTHER");
        assertThat(other.out())
                .contains("It was never meant for private-fiche-OTHER: the router sent it to private-audit-A" + RUN
                        + ", private-fiche-F" + RUN);
    }

    @Test
    void eachStagesDeadLetterAndThePolicyDropAreExplainedWithTheirReason() {
        assertThat(traceUntil("Not published", "--event-id=" + RUN + "-bad").out())
                .contains("dead-lettered by the router: UNSAFE_PLACEHOLDER")
                .contains("answer      Not published: the router dead-lettered it as UNSAFE_PLACEHOLDER")
                .contains("switchboard dlq redrive --event-id " + RUN + "-bad");
        assertThat(traceUntil("Not delivered", "--event-id=" + RUN + "-enc").out())
                .contains("publisher   dead-lettered: ENCRYPTION_KEY_MISSING")
                .contains("answer      Not delivered: the publisher dead-lettered it as ENCRYPTION_KEY_MISSING");
        assertThat(traceUntil("publisher:DEAD_LETTERED", "--event-id=" + RUN + "-enc", "--json")
                        .out())
                .as("the publisher's own receipt, not only its dead-letter record")
                .contains("publisher:DEAD_LETTERED:ENCRYPTION_KEY_MISSING");
        assertThat(traceUntil("on purpose", "--event-id=" + RUN + "-p30").out())
                .contains("dropped by policy: PROGRESS_REGRESSED")
                .contains("answer      Not published, on purpose: PROGRESS_REGRESSED");
    }

    @Test
    void anAggregateListsEachOfItsEventsAndJsonLinesCarryTheAnswer() {
        Run run = traceUntil("on purpose", "--aggregate=audit-p-" + RUN, "--json");
        List<JsonNode> lines = run.out()
                .lines()
                .map(l -> JsonMapper.builder().build().readTree(l))
                .toList();
        assertThat(lines).extracting(l -> l.get("event_id").asString()).containsExactly(RUN + "-p50", RUN + "-p30");
        assertThat(lines.get(0).get("answer").asString()).startsWith("Pusher accepted it on private-audit-P" + RUN);
        assertThat(lines.get(1).get("outcomes").toString()).contains("router:DROPPED:PROGRESS_REGRESSED");
    }

    @Test
    void anOutboxRowIdFindsItsEventsWholeJourney() {
        Run run = traceUntil("Pusher accepted it", "--outbox-id=" + outboxId("ok"));
        assertThat(run.exit()).isZero();
        assertThat(run.out())
                .contains("event " + RUN + "-ok  audit.step_completed  aggregate audit-" + RUN)
                .contains("routed by rule 'audits' to private-audit-A" + RUN + ", private-fiche-F" + RUN)
                .contains("answer      Pusher accepted it on private-audit-A" + RUN + ", private-fiche-F" + RUN)
                .doesNotContain("event " + RUN + "-bad ")
                .doesNotContain("event " + RUN + "-enc ");
        assertThat(run.out().lines().filter(l -> l.startsWith("event "))).hasSize(1);
    }

    /** A record that cannot be decoded cannot match: the trace skips it, and says so on standard error. */
    @Test
    void anUndecodableRecordIsSkippedWithANote() {
        Run run = execute(
                "trace",
                "--bootstrap-servers=" + KAFKA,
                "--since=15m",
                "--events-topic=" + BAD,
                "--event-id=" + RUN + "-in-bad");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("event " + RUN + "-in-bad  audit.step_completed");
        assertThat(run.err().lines())
                .singleElement()
                .asString()
                .isEqualTo("switchboard trace: note: skipped 1 record in the window that could not be decoded (first "
                        + BAD + ":0:0: UNKNOWN_SCHEMA_ID: schema id 9999 is not pinned in this build (written with"
                        + " another schema registry? set SCHEMA_REGISTRY_URL or --schema-registry-url))");
    }

    @Test
    void errorsAreOneLineWithANonZeroExit() {
        Run unknown = execute("trace", "--bootstrap-servers=" + KAFKA, "--since=5m", "--event-id=no-such-" + RUN);
        assertThat(unknown.exit()).isEqualTo(3);
        assertThat(unknown.err().strip())
                .startsWith("switchboard trace: no event matches --event-id no-such-")
                .doesNotContain("\n");
        Run nothing = execute("trace", "--bootstrap-servers=" + KAFKA);
        assertThat(nothing.exit()).isEqualTo(2);
        assertThat(nothing.err()).contains("say what to trace");
        Run broker = execute("trace", "--bootstrap-servers=127.0.0.1:1", "--timeout=2s", "--event-id=x");
        assertThat(broker.exit()).isEqualTo(1);
        assertThat(broker.err().lines())
                .singleElement()
                .asString()
                .isEqualTo("switchboard trace: cannot reach Kafka at 127.0.0.1:1 within 2s (set KAFKA_BOOTSTRAP_SERVERS"
                        + " or --bootstrap-servers; --command-config for SASL/TLS)");
        assertThat(broker.out()).isEmpty();
        // review of issue 15: an address the client refuses before it connects was picocli's stack trace
        for (String address : WrongAddresses.ALL) {
            Run wrong = execute("trace", "--bootstrap-servers=" + address, "--event-id=x");
            assertThat(wrong.exit()).as(address).isEqualTo(1);
            assertThat(wrong.err().lines())
                    .singleElement()
                    .asString()
                    .isEqualTo("switchboard trace: " + WrongAddresses.line(address));
            assertThat(wrong.out()).isEmpty();
        }
        Run missing =
                execute("trace", "--bootstrap-servers=" + KAFKA, "--events-topic=no-such-topic-" + RUN, "--event-id=x");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err().lines())
                .singleElement()
                .asString()
                .isEqualTo("switchboard trace: topic no-such-topic-" + RUN + " does not exist on " + KAFKA
                        + " (is this the right cluster? --events-topic names another topic)");

        // nothing matches, but a record could not be read: not an answer, so exit 1 as replay's decoding failure
        Run unknownSchema = execute(
                "trace", "--bootstrap-servers=" + KAFKA, "--since=15m", "--events-topic=" + BAD, "--event-id=x-" + RUN);
        assertThat(unknownSchema.exit()).isEqualTo(1);
        assertThat(unknownSchema.err().lines())
                .singleElement()
                .asString()
                .startsWith("switchboard trace: no event matches --event-id x-" + RUN + " in " + BAD)
                .contains("but 1 record in the window could not be decoded (first " + BAD + ":0:0: UNKNOWN_SCHEMA_ID:"
                        + " schema id 9999 is not pinned in this build (written with another schema registry?");
        assertThat(unknownSchema.out()).isEmpty();

        // a window that holds no records at all: exit 3 as replay's "no records in"
        Run noData = execute(
                "trace",
                "--bootstrap-servers=" + KAFKA,
                "--from=2020-01-01T00:00:00Z",
                "--to=2020-01-02T00:00:00Z",
                "--event-id=" + RUN + "-ok");
        assertThat(noData.exit()).isEqualTo(3);
        assertThat(noData.err().lines())
                .singleElement()
                .asString()
                .isEqualTo(
                        "switchboard trace: no records in realtime.events, realtime.publish, their dead-letter topics"
                                + " or realtime.ledger between 2020-01-01T00:00:00Z and 2020-01-02T00:00:00Z (widen --since, or"
                                + " check --bootstrap-servers)");
        assertThat(noData.out()).isEmpty();
    }
}
