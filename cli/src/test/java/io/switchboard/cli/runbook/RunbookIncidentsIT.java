package io.switchboard.cli.runbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.cli.SwitchboardCommand;
import io.switchboard.publisher.PublisherApplication;
import io.switchboard.router.RouterApplication;
import io.switchboard.schemas.RealtimeEvent;
import io.switchboard.schemas.wire.AvroSerializer;
import io.switchboard.testkit.KafkaTestBroker;
import io.switchboard.testkit.PusherStandIn;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine;

/**
 * The incidents of docs/runbook.md, played on a real broker with the router and the publisher running and the Pusher
 * stand-in answering (or not): each step runs the command the runbook gives and checks what the runbook says it
 * shows. The outputs printed here are the ones the runbook quotes.
 */
class RunbookIncidentsIT {

    private static final String KAFKA = KafkaTestBroker.bootstrapServers();
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final List<ConfigurableApplicationContext> services = new ArrayList<>();
    private PusherStandIn pusher;
    private ConfigurableApplicationContext router;
    private ConfigurableApplicationContext publisher;
    private Instant start;

    record Run(int exit, String out, String err) {}

    @BeforeEach
    void startPipeline() throws Exception {
        pusher = new PusherStandIn("app-1", "key-1", "secret-of-the-stand-in-0123456789");
        router = startRouter();
        publisher = startPublisher();
        start = Instant.now().minusSeconds(1);
    }

    @AfterEach
    void stop() {
        services.forEach(ConfigurableApplicationContext::close);
        pusher.close();
    }

    private List<String> common() {
        return new ArrayList<>(List.of(
                "--spring.kafka.bootstrap-servers=" + KAFKA,
                "--server.port=0",
                "--spring.kafka.consumer.auto-offset-reset=latest"));
    }

    private ConfigurableApplicationContext startRouter(String... extra) {
        List<String> args = common();
        args.addAll(List.of(extra));
        ConfigurableApplicationContext context = RouterApplication.builder().run(args.toArray(String[]::new));
        services.add(context);
        return context;
    }

    private ConfigurableApplicationContext startPublisher(String... extra) {
        List<String> args = common();
        args.addAll(pusher.publisherArgs());
        args.addAll(List.of(extra));
        ConfigurableApplicationContext context = PublisherApplication.builder().run(args.toArray(String[]::new));
        services.add(context);
        return context;
    }

    private void stop(ConfigurableApplicationContext context) {
        context.close();
        services.remove(context);
    }

    private RealtimeEvent send(String id, String type, String key, String payload, List<String> channels)
            throws Exception {
        String aggregateType = key.substring(0, key.indexOf('-')); // audit-…, invoice-…
        RealtimeEvent event = RealtimeEvent.newBuilder()
                .setEventId(run + "-" + id)
                .setType(type)
                .setOccurredAt(Instant.now())
                .setSource(aggregateType.equals("invoice") ? "billing-service" : "audit-service")
                .setAggregateType(aggregateType)
                .setAggregateId(key)
                .setPayload(payload)
                .setChannels(channels)
                .setHeaders(Map.of())
                .build();
        try (KafkaProducer<String, RealtimeEvent> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA),
                new StringSerializer(),
                new AvroSerializer<>())) {
            producer.send(new ProducerRecord<>("realtime.events", key, event)).get();
        }
        return event;
    }

    static Run execute(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new SwitchboardCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        System.out.println("$ switchboard " + String.join(" ", args).replace(" --bootstrap-servers=" + KAFKA, "") + "\n"
                + out + err + "[exit " + exit + "]");
        return new Run(exit, out.toString(), err.toString());
    }

    private String[] with(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--bootstrap-servers=" + KAFKA); // last: after the subcommand, however deep (dlq list)
        return all.toArray(String[]::new);
    }

    /** Runs the command until its output matches {@code expected} (a regular expression); returns that run. */
    private Run until(String expected, String... args) {
        Run[] last = new Run[1];
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(700))
                .untilAsserted(() -> {
                    last[0] = execute(with(args));
                    assertThat(last[0].out() + last[0].err()).containsPattern(expected);
                });
        return last[0];
    }

    private String health(ConfigurableApplicationContext service) throws Exception {
        String port = service.getEnvironment().getProperty("local.server.port");
        String body = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        System.out.println("$ curl -s 127.0.0.1:8082/actuator/health\n" + body);
        return body;
    }

    /** Incident 1: Pusher answers 503 for a while. Nothing is lost or dead-lettered; delivery resumes by itself. */
    @Test
    void aPusherOutageHoldsEventsBackAndDeliversThemWhenItEnds() throws Exception {
        pusher.failFor(
                Duration.ofSeconds(20), new PusherStandIn.Fault(503, "{\"error\":\"Service Unavailable\"}", null));
        String audit = "A" + run;
        send(
                "outage",
                "audit.step_completed",
                "audit-" + run,
                "{\"audit_id\":\"" + audit + "\",\"fiche_id\":\"F" + run + "\",\"step_position\":4}",
                null);

        await().atMost(Duration.ofSeconds(30)).until(() -> health(publisher).contains("\"circuitBreaker\":\"OPEN\""));
        Run during = until("no outcome from the publisher", "trace", "--since=10m", "--event-id=" + run + "-outage");
        assertThat(during.out()).contains("routed by rule 'audits'").doesNotContain("publisher   ");

        Run after = until("Pusher accepted it", "trace", "--since=10m", "--event-id=" + run + "-outage");
        assertThat(after.out()).containsPattern("[0-9]+ attempt\\(s\\), HTTP 200");
        Run dlq = execute(with("dlq", "list", "--from=" + start));
        // exit 3 with "no dead letters in ..." on stderr when the topics hold none since then (others' may exist)
        assertThat(dlq.exit()).as(dlq.err()).isIn(0, 3);
        assertThat(dlq.out() + dlq.err()).as("an outage dead-letters nothing").doesNotContain(run);
    }

    /**
     * Incident 2, a publisher dead letter: dead letters pile up for one reason (a channel that needs the encryption
     * master key the publisher lacks); fix the configuration, redrive, check.
     */
    @Test
    void aGrowingDeadLetterTopicIsListedFixedAndRedriven() throws Exception {
        for (int i = 1; i <= 3; i++) { // end-to-end encrypted channel, and the publisher has no master key
            send(
                    "enc-" + i,
                    "audit.step_completed",
                    "audit-enc-" + run,
                    "{\"audit_id\":\"E" + run + "\",\"step_position\":" + i + "}",
                    List.of("private-encrypted-audit-E" + run));
        }
        Run list = until("ENCRYPTION_KEY_MISSING +3", "dlq", "list", "--from=" + start);
        assertThat(list.out()).contains(run + "-enc-1");

        // the fix: the publisher gets the master key it shares with the gateway
        stop(publisher);
        publisher = startPublisher("--switchboard.pusher.encryption-master-key-base64="
                + Base64.getEncoder().encodeToString(new SecureRandom().generateSeed(32)));
        Run dry = execute(with("dlq", "redrive", "--reason=ENCRYPTION_KEY_MISSING", "--from=" + start));
        assertThat(dry.out()).contains("dry run");
        assertThat(pusher.delivered()).noneMatch(d -> d.channel().startsWith("private-encrypted-audit-E" + run));
        Run redrive = execute(with("dlq", "redrive", "--reason=ENCRYPTION_KEY_MISSING", "--from=" + start, "--yes"));
        assertThat(redrive.exit()).isZero();

        await().atMost(Duration.ofSeconds(30))
                .until(() -> pusher.delivered().stream()
                                .filter(d -> d.channel().equals("private-encrypted-audit-E" + run))
                                .count()
                        == 3);
        Run trace = until("redriven", "trace", "--since=10m", "--event-id=" + run + "-enc-2");
        assertThat(trace.out())
                .contains("dead-lettered: ENCRYPTION_KEY_MISSING")
                .contains("answer      Pusher accepted it on private-encrypted-audit-E" + run);
    }

    /**
     * Incident 2, as issue 15 states it: a dead letter made by a bad input at the router, under a routing rule, is
     * listed with its reason, shown with its headers and decoded body, and, once the rule is fixed, redriven (dry run
     * first) back to realtime.events, from where it arrives at Pusher on the right channel. Here a new rule takes the
     * channel from a field whose values hold characters a channel name may not ({@code INV/2026/...}).
     */
    @Test
    void aRulesBadInputIsDeadLetteredThenListedShownAndRedrivenAfterTheRuleIsFixed(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("routes.yml");
        Files.writeString(bad, """
                rules:
                  - name: invoices
                    types: ["invoice.*"]
                    channels: ["invoice-{invoice_number}"]
                """);
        stop(router);
        router = startRouter("--switchboard.router.routes=" + bad);
        Instant from = Instant.now();
        String key = "invoice-" + run;
        for (int n = 1; n <= 2; n++) {
            send(
                    "inv-" + n,
                    "invoice.paid",
                    key,
                    "{\"invoice_id\":\"I" + run + "-" + n + "\",\"invoice_number\":\"INV/2026/" + run + "-" + n
                            + "\",\"amount_cents\":129900}",
                    null);
        }

        Run list = until("router +UNSAFE_PLACEHOLDER +2", "dlq", "list", "--from=" + from);
        assertThat(list.out())
                .containsPattern("router +UNSAFE_PLACEHOLDER +" + run + "-inv-1 +realtime\\.events:\\d+:\\d+"
                        + " +realtime\\.events\\.dlq:\\d+:\\d+");
        java.util.regex.Matcher first = java.util.regex.Pattern.compile(
                        run + "-inv-1 +\\S+ +(realtime\\.events\\.dlq:\\d+:\\d+)")
                .matcher(list.out());
        assertThat(first.find()).isTrue();
        Run show = execute(with("dlq", "show", first.group(1)));
        assertThat(show.exit()).isZero();
        assertThat(show.out())
                .contains("stage        router")
                .contains("reason       UNSAFE_PLACEHOLDER: field 'invoice_number' of template"
                        + " 'invoice-{invoice_number}' has the value \"INV/2026/" + run + "-1\"")
                .contains("event id     " + run + "-inv-1")
                .contains("  switchboard-reason: UNSAFE_PLACEHOLDER")
                .contains("  kafka_dlt-original-topic: realtime.events")
                .contains("value        RealtimeEvent (avro, schema id 1, ")
                .contains("\"type\" : \"invoice.paid\"")
                .contains("\"aggregate_type\" : \"invoice\"")
                .contains("\\\"invoice_number\\\":\\\"INV/2026/" + run + "-1\\\""); // the payload, a JSON text

        // the fix: the channel from the invoice's id; checked against the dead letters before it is deployed
        Path fixed = dir.resolve("routes-fixed.yml");
        Files.writeString(fixed, """
                rules:
                  - name: invoices
                    types: ["invoice.*"]
                    channels: ["invoice-{invoice_id}"]
                """);
        Run check = execute(
                with("replay", "--topic=realtime.events.dlq", "--from=" + from, "--key=" + key, "--routes=" + fixed));
        assertThat(check.out())
                .contains(run + "-inv-1  key=" + key + "  -> private-invoice-I" + run + "-1 (rule invoices)")
                .contains(run + "-inv-2  key=" + key + "  -> private-invoice-I" + run + "-2 (rule invoices)");
        stop(router);
        router = startRouter("--switchboard.router.routes=" + fixed);

        Run dry = execute(with("dlq", "redrive", "--reason=UNSAFE_PLACEHOLDER", "--from=" + from));
        assertThat(dry.exit()).isZero();
        assertThat(dry.out())
                .containsPattern("would send realtime\\.events\\.dlq:\\d+:\\d+ \\(router UNSAFE_PLACEHOLDER, event "
                        + run + "-inv-1\\) to realtime\\.events, key " + key)
                .contains("dry run: 2 would be redriven of 2 selected dead letters");
        assertThat(pusher.delivered()).noneMatch(d -> d.channel().startsWith("private-invoice-I" + run));
        Run redrive = execute(with("dlq", "redrive", "--reason=UNSAFE_PLACEHOLDER", "--from=" + from, "--yes"));
        assertThat(redrive.exit()).isZero();
        assertThat(redrive.out())
                .containsPattern("sent realtime\\.events\\.dlq:\\d+:\\d+ \\(router UNSAFE_PLACEHOLDER, event " + run
                        + "-inv-1\\) to realtime\\.events:\\d+:\\d+")
                .contains("redrove 2 of 2 selected dead letters");

        await().atMost(Duration.ofSeconds(30))
                .until(() -> pusher.delivered().stream()
                                .filter(d -> d.channel().startsWith("private-invoice-I" + run))
                                .count()
                        == 2);
        assertThat(pusher.delivered())
                .filteredOn(d -> d.channel().startsWith("private-invoice-I" + run))
                .extracting(PusherStandIn.Delivered::channel)
                .containsExactly("private-invoice-I" + run + "-1", "private-invoice-I" + run + "-2");
        assertThat(pusher.delivered())
                .filteredOn(d -> d.channel().equals("private-invoice-I" + run + "-1"))
                .singleElement()
                .satisfies(d -> assertThat(d.data()).contains("INV/2026/" + run + "-1"));
        Run trace = until("Pusher accepted it", "trace", "--since=10m", "--event-id=" + run + "-inv-1");
        assertThat(trace.out())
                .contains("router      dead-lettered by the router: UNSAFE_PLACEHOLDER field 'invoice_number'")
                .contains("router      routed by rule 'invoices' to private-invoice-I" + run + "-1  (")
                .contains("answer      Pusher accepted it on private-invoice-I" + run + "-1 at ")
                .contains("It was dead-lettered by the router first (UNSAFE_PLACEHOLDER) and redriven.");
    }

    /**
     * Incident 4: a routing rules deploy sent events to a wrong channel (audit-{fiche_id} for fiche-{fiche_id}) beside
     * a right one; fix the rules, replay the window without --redeliver: dedupe is per (event id, channel), so the
     * replay reaches the channel the events missed and skips, as duplicates, the one they already reached.
     */
    @Test
    void aBadRoutingDeployIsReplayedToTheRightChannels(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("routes-bad.yml");
        Files.writeString(bad, """
                rules:
                  - name: audits
                    types: ["audit.*"]
                    channels: ["audit-{audit_id}", "audit-{fiche_id}"]
                """);
        stop(router);
        router = startRouter("--switchboard.router.routes=" + bad);
        Instant from = Instant.now();
        String audit = "B" + run;
        String fiche = "G" + run;
        for (int step = 1; step <= 2; step++) {
            send(
                    "step-" + step,
                    "audit.step_completed",
                    "audit-" + audit,
                    "{\"audit_id\":\"" + audit + "\",\"fiche_id\":\"" + fiche + "\",\"step_position\":" + step + "}",
                    null);
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> delivered("private-audit-" + fiche) == 2 && delivered("private-audit-" + audit) == 2);
        Instant to = Instant.now();

        // the fix: the router runs the right rules again (here the defaults)
        stop(router);
        router = startRouter();
        Run dry = execute(with("replay", "--from=" + from, "--to=" + to, "--type=audit.*", "--key=audit-" + audit));
        assertThat(dry.out()).contains("-> private-audit-" + audit + " private-fiche-" + fiche + " (rule audits)");
        Run replay = execute(with(
                "replay",
                "--from=" + from,
                "--to=" + to,
                "--type=audit.*",
                "--key=audit-" + audit,
                "--to-topic=realtime.events",
                "--yes"));
        assertThat(replay.exit()).isZero();

        await().atMost(Duration.ofSeconds(30)).until(() -> delivered("private-fiche-" + fiche) == 2);
        // each replayed record is one message to Pusher: once it reached the fiche, nothing more goes to the audit
        assertThat(delivered("private-audit-" + audit))
                .as("the channel the events had reached already: skipped as duplicates, not delivered twice")
                .isEqualTo(2);
        Run trace = until(
                "skipped as a duplicate",
                "trace",
                "--since=10m",
                "--event-id=" + run + "-step-1",
                "--channel=private-fiche-" + fiche);
        assertThat(trace.out())
                .contains("routed by rule 'audits' to private-audit-" + audit + ", private-audit-" + fiche + "  (")
                .contains("routed by rule 'audits' to private-audit-" + audit + ", private-fiche-" + fiche + "  (")
                .contains("publisher   skipped as a duplicate on private-audit-" + audit + " at ")
                .containsPattern(
                        "publisher   Pusher accepted it on private-fiche-" + fiche + " at .*, 1 attempt\\(s\\)")
                .contains("answer      Pusher accepted it on private-fiche-" + fiche);
    }

    private long delivered(String channel) {
        return pusher.delivered().stream()
                .filter(d -> d.channel().equals(channel))
                .count();
    }
}
