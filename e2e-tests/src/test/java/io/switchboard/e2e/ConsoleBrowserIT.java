package io.switchboard.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.gateway.GatewayApplication;
import io.switchboard.publisher.PublisherApplication;
import io.switchboard.relay.OutboxRelayApplication;
import io.switchboard.router.RouterApplication;
import io.switchboard.testkit.KafkaTestBroker;
import io.switchboard.testkit.ProjectRoot;
import io.switchboard.testkit.Soketi;
import io.switchboard.testkit.TestDatabase;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The live console (issue 16) in a real browser: the whole pipeline in-process (Postgres outbox, outbox-relay, the
 * in-process KRaft broker, router-service, publisher-service, Soketi) and gateway-service with the console on, as
 * {@code ./switchboard dev} runs it, demo included (the five teams' rows, at 20 per second); Debian's headless
 * Chromium, driven by playwright-core ({@code scripts/node/console-check.js}), opens {@code /console/}. The page must
 * show published events of every team of the demo (on the channels its frontend subscribes to, frontends.json). Two
 * rows of the test's own go in beside the demo: an audit step on a channel of this run only, and one whose payload
 * key cannot name a channel; the page must show the first with its channels, size and latency, the router's dead
 * letter of the second with its reason, the event as the page's own pusher-js client received it, the channel's
 * rate, the stages' counters, and the trace answer for the event. The screenshot is kept in
 * {@code target/console-screenshot.png}.
 */
class ConsoleBrowserIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path SCREENSHOT =
            Path.of("target", "console-screenshot.png").toAbsolutePath();
    /** The demo's teams and the channels each one's frontend subscribes to. */
    private static final Path TEAMS = ProjectRoot.path().resolve("outbox-relay/src/main/resources/demo/frontends.json");

    private static final List<String> NO_SECURITY = List.of(
            "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration");

    private static TestDatabase db;
    private static final List<ConfigurableApplicationContext> services = new ArrayList<>();
    private static String console;

    @BeforeAll
    static void startPipeline() throws Exception {
        assertThat(CHROMIUM)
                .as("Debian's chromium (apt-get install chromium; .ci/run installs it)")
                .isExecutable();
        Soketi.ensureRunning();
        installPlaywrightCore();
        String kafka = KafkaTestBroker.bootstrapServers();
        db = TestDatabase.postgres();
        List<String> common = List.of(
                "--spring.kafka.bootstrap-servers=" + kafka,
                "--server.port=0",
                "--spring.kafka.consumer.auto-offset-reset=earliest",
                // the gateway's Spring Security shares this JVM's classpath; the pipeline services have none in
                // production, and their /actuator/prometheus answers whoever reaches their port
                "--spring.autoconfigure.exclude=" + String.join(",", NO_SECURITY));
        // the demo of ./switchboard dev (review of issue 16: no test had ever shown its events reach the console)
        ConfigurableApplicationContext relay = start(OutboxRelayApplication.builder()
                .run(args(
                        common,
                        "--spring.datasource.url=" + db.jdbcUrl(),
                        "--switchboard.outbox.poll-interval=20ms",
                        "--switchboard.demo.enabled=true",
                        "--switchboard.demo.rate=20")));
        ConfigurableApplicationContext router =
                start(RouterApplication.builder().run(args(common)));
        ConfigurableApplicationContext publisher = start(PublisherApplication.builder()
                .run(args(common, Soketi.publisherArgs().toArray(String[]::new))));
        // the gateway as ./switchboard dev runs it, with the console on: names-only channel auth on loopback, the
        // console reading the broker and each stage's own Prometheus scrape
        List<String> gatewayArgs = new ArrayList<>(Soketi.publisherArgs());
        gatewayArgs.addAll(List.of(
                "--server.port=0",
                "--management.server.port=0",
                "--switchboard.console.enabled=true",
                "--switchboard.console.bootstrap-servers=" + kafka,
                "--switchboard.console.metrics.relay=" + scrape(relay),
                "--switchboard.console.metrics.router=" + scrape(router),
                "--switchboard.console.metrics.publisher=" + scrape(publisher),
                "--switchboard.console.metrics.interval=1s"));
        ConfigurableApplicationContext gateway =
                start(GatewayApplication.builder().run(gatewayArgs.toArray(String[]::new)));
        console = "http://127.0.0.1:" + port(gateway) + "/console/";
    }

    @AfterAll
    static void stopPipeline() {
        for (int i = services.size() - 1; i >= 0; i--) {
            services.get(i).close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void theConsoleShowsTheDemosTeamsAPublishedEventADeadLetterWithItsReasonAndTheTraceAnswer() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String auditId = "audit-" + run;
        String channel = "private-audit-" + auditId;
        String published = UUID.randomUUID().toString();
        String dead = UUID.randomUUID().toString();
        Files.deleteIfExists(SCREENSHOT);
        Files.createDirectories(SCREENSHOT.getParent());

        Process check = new ProcessBuilder(
                        "node",
                        ProjectRoot.path()
                                .resolve("scripts/node/console-check.js")
                                .toString(),
                        "--url=" + console + "?watch=" + channel,
                        "--event-id=" + published,
                        "--channel=" + channel,
                        "--dead-event-id=" + dead,
                        "--dead-reason=UNSAFE_PLACEHOLDER",
                        "--screenshot=" + SCREENSHOT,
                        "--teams-file=" + TEAMS,
                        "--teams-timeout-ms=20000",
                        "--timeout-ms=60000")
                .start();
        List<JsonNode> lines = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> read(check.inputReader(StandardCharsets.UTF_8), lines), "console-check");
        reader.setDaemon(true);
        reader.start();
        Thread errors = new Thread(() -> read(check.errorReader(StandardCharsets.UTF_8), lines), "console-check-err");
        errors.setDaemon(true);
        errors.start();
        try {
            // once the page is up and its pusher-js client subscribed, the test writes its rows among the demo's
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(50))
                    .failFast("console-check ended early: " + lines, () -> !check.isAlive())
                    .until(() -> lines.stream()
                            .anyMatch(l -> l.path("kind").asString().equals("ready")));

            // seed 002: a step of an audit (to private-audit-… and private-fiche-…)
            insert(published, "audit.step_completed", "audit", auditId, """
                    {"audit_id":"%s","fiche_id":"F%s","step_position":3,"step_name":"Disclosure","score":8,\
                    "max_score":10,"conforme":true,"total_citations":4,"status":"completed"}""".formatted(auditId, run));
            // a payload key that cannot be part of a channel name: the router dead-letters it with the reason
            insert(dead, "audit.step_completed", "audit", "audit-bad-" + run, """
                    {"audit_id":"audit %s has spaces","fiche_id":"F%s","status":"completed"}""".formatted(run, run));

            assertThat(check.waitFor(150, TimeUnit.SECONDS))
                    .as("console-check finished")
                    .isTrue();
            reader.join(5_000);
        } finally {
            check.destroyForcibly();
        }

        JsonNode done = lines.stream()
                .filter(l -> l.path("kind").asString().equals("done"))
                .findFirst()
                .orElse(null);
        assertThat(done).as("what console-check printed: %s", lines).isNotNull();
        assertThat(check.exitValue()).isZero();

        // every team of the demo, as its frontend would see it: an event on one of its channels, with an id and a size
        Map<String, List<String>> channelsByTeam = new TreeMap<>();
        JSON.readTree(TEAMS.toFile())
                .properties()
                .forEach(team -> channelsByTeam.put(
                        team.getKey(),
                        team.getValue()
                                .path("channels")
                                .valueStream()
                                .map(JsonNode::asString)
                                .toList()));
        assertThat(channelsByTeam).hasSize(5);
        assertThat(done.path("teams").propertyNames()).containsExactlyInAnyOrderElementsOf(channelsByTeam.keySet());
        channelsByTeam.forEach((team, channels) -> {
            List<String> row = texts(done.path("teams").path(team));
            assertThat(List.of(row.get(3).split(", ")))
                    .as("team %s: %s", team, row)
                    .containsAnyElementsOf(channels);
            assertThat(row.get(1)).as("team %s: the event's name", team).isNotBlank();
            assertThat(row.get(2)).as("team %s: its id", team).matches("[0-9a-f-]{36}");
            assertThat(row.get(4)).as("team %s: its size", team).matches("\\d+ B");
        });

        // the event as Pusher accepted it: name, its two channels, its size, not truncated, a latency
        List<String> event = texts(done.path("event"));
        assertThat(event.get(1)).isEqualTo("audit.step_completed");
        assertThat(event.get(2)).isEqualTo(published);
        assertThat(event.get(3)).isEqualTo(channel + ", private-fiche-F" + run);
        assertThat(event.get(4)).matches("\\d+ B");
        assertThat(event.get(5)).isEqualTo("no");
        assertThat(event.get(6)).matches("\\d+ ms");

        // the router's dead letter with its reason, in code and in words
        List<String> deadLetter = texts(done.path("deadLetter"));
        assertThat(deadLetter.get(1)).isEqualTo("router");
        assertThat(deadLetter.get(2)).isEqualTo("dead letter");
        assertThat(deadLetter.get(3)).isEqualTo("UNSAFE_PLACEHOLDER");
        assertThat(deadLetter.get(4)).contains("audit_id");
        assertThat(deadLetter.get(5)).isEqualTo("audit.step_completed");
        assertThat(deadLetter.get(6)).isEqualTo(dead);

        // what the page's own pusher-js client received on the watched channel
        List<String> live = texts(done.path("live"));
        assertThat(live.get(1)).isEqualTo(channel);
        assertThat(live.get(2)).isEqualTo("audit.step_completed");
        assertThat(JSON.readTree(live.get(3)).path("audit_id").asString()).isEqualTo(auditId);

        // the channel with its traffic, and the stages' own counters (the breaker around Pusher is closed)
        List<String> channelRow = texts(done.path("channel"));
        assertThat(channelRow.get(0)).isEqualTo(channel);
        assertThat(Integer.parseInt(channelRow.get(1))).isGreaterThanOrEqualTo(1);
        assertThat(done.path("stages").path("relay").asString()).contains("relayed");
        assertThat(done.path("stages").path("router").asString()).contains("routed", "dead-lettered");
        assertThat(done.path("stages").path("publisher").asString()).contains("published", "deduplicated", "closed");

        // the trace answer, from the same code as switchboard trace
        assertThat(done.path("trace").asString())
                .contains("event " + published, "routed by rule 'audits' to " + channel)
                .contains("Pusher accepted it on " + channel);
        assertThat(texts(done.path("problems"))).as("errors in the page").isEmpty();

        byte[] png = Files.readAllBytes(SCREENSHOT);
        assertThat(png.length).isGreaterThan(10_000);
        assertThat(java.util.Arrays.copyOf(png, 8))
                .as("a PNG file")
                .containsExactly(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A);
    }

    private static void insert(String eventId, String type, String aggregateType, String aggregateId, String payload)
            throws Exception {
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO switchboard_outbox"
                    + " (event_id, type, source, aggregate_type, aggregate_id, payload)"
                    + " VALUES (CAST(? AS uuid), ?, 'console-it', ?, ?, CAST(? AS jsonb))")) {
                insert.setString(1, eventId);
                insert.setString(2, type);
                insert.setString(3, aggregateType);
                insert.setString(4, aggregateId);
                insert.setString(5, payload);
                insert.executeUpdate();
            }
            c.commit();
        }
    }

    /** playwright-core comes with scripts/node's packages; a Soketi already running skipped their install. */
    private static void installPlaywrightCore() throws IOException, InterruptedException {
        if (Files.isDirectory(ProjectRoot.path().resolve("scripts/node/node_modules/playwright-core"))) {
            return;
        }
        Process install = new ProcessBuilder(
                        "bash", ProjectRoot.path().resolve("scripts/soketi.sh").toString(), "install")
                .inheritIO()
                .start();
        assertThat(install.waitFor(180, TimeUnit.SECONDS) && install.exitValue() == 0)
                .as("scripts/soketi.sh install")
                .isTrue();
    }

    private static ConfigurableApplicationContext start(ConfigurableApplicationContext context) {
        services.add(context);
        return context;
    }

    private static String port(ConfigurableApplicationContext context) {
        return context.getEnvironment().getProperty("local.server.port");
    }

    private static String scrape(ConfigurableApplicationContext service) {
        return "http://127.0.0.1:" + port(service) + "/actuator/prometheus";
    }

    private static String[] args(List<String> common, String... more) {
        List<String> all = new ArrayList<>(common);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(n -> texts.add(n.asString()));
        return texts;
    }

    private static void read(BufferedReader in, List<JsonNode> lines) {
        try (in) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("{")) {
                    lines.add(JSON.readTree(line));
                } else {
                    System.out.println("[console-check] " + line);
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }
}
