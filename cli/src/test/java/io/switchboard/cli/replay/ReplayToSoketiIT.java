package io.switchboard.cli.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.cli.SwitchboardCommand;
import io.switchboard.publisher.PublisherApplication;
import io.switchboard.router.RouterApplication;
import io.switchboard.schemas.RealtimeEvent;
import io.switchboard.schemas.wire.AvroSerializer;
import io.switchboard.testkit.ChannelAuthStandIn;
import io.switchboard.testkit.KafkaTestBroker;
import io.switchboard.testkit.PusherJsSubscriber;
import io.switchboard.testkit.Soketi;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine;

/**
 * What replays deliver, as a browser sees it: the router and the publisher running against Soketi, and a real
 * pusher-js client subscribed to a user's channel and to its shadow channel. A shadow replay reaches the shadow
 * channel only; a plain replay of a delivered event reaches nobody (dedupe); --redeliver reaches the user again.
 * A fence event on the same key follows each step: once it arrives, anything the step sent has arrived before it.
 */
class ReplayToSoketiIT {

    private static final String KAFKA = KafkaTestBroker.bootstrapServers();
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String key = "audit-R" + run;
    private final String userChannel = "private-audit-R" + run;
    private final String shadowChannel = "private-debug-audit-R" + run;
    private final List<ConfigurableApplicationContext> services = new ArrayList<>();
    private ChannelAuthStandIn auth;

    @BeforeEach
    void start() throws Exception {
        Soketi.ensureRunning();
        List<String> common = List.of(
                "--spring.kafka.bootstrap-servers=" + KAFKA,
                "--server.port=0",
                "--spring.kafka.consumer.auto-offset-reset=latest");
        services.add(RouterApplication.builder().run(common.toArray(String[]::new)));
        List<String> publisher = new ArrayList<>(common);
        publisher.addAll(Soketi.publisherArgs());
        services.add(PublisherApplication.builder().run(publisher.toArray(String[]::new)));
        auth = ChannelAuthStandIn.forSoketi(null);
    }

    @AfterEach
    void stop() {
        services.forEach(ConfigurableApplicationContext::close);
        auth.close();
    }

    private void send(String id, String payload) throws Exception {
        RealtimeEvent event = RealtimeEvent.newBuilder()
                .setEventId(run + "-" + id)
                .setType("audit.step_completed")
                .setOccurredAt(Instant.now())
                .setSource("audit-service")
                .setAggregateType("audit")
                .setAggregateId(key)
                .setPayload(payload)
                .setChannels(null)
                .setHeaders(Map.of())
                .build();
        try (KafkaProducer<String, RealtimeEvent> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA),
                new StringSerializer(),
                new AvroSerializer<>())) {
            producer.send(new ProducerRecord<>("realtime.events", key, event)).get();
        }
    }

    private void fence(PusherJsSubscriber browser, int n) throws Exception {
        send("fence-" + n, "{\"audit_id\":\"R" + run + "\",\"fence\":" + n + "}");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> browser.events(userChannel).stream()
                        .anyMatch(m ->
                                m.data().has("fence") && m.data().get("fence").asInt() == n));
    }

    private static int replay(String... args) {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new SwitchboardCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(out, true));
        List<String> all = new ArrayList<>(List.of("replay", "--bootstrap-servers=" + KAFKA, "--yes"));
        all.addAll(List.of(args));
        int exit = cli.execute(all.toArray(String[]::new));
        System.out.println("$ switchboard " + String.join(" ", all) + "\n" + out + "[exit " + exit + "]");
        return exit;
    }

    private List<String> steps(PusherJsSubscriber browser, String channel) {
        return browser.events(channel).stream()
                .map(m -> m.data().has("fence")
                        ? "fence " + m.data().get("fence").asInt()
                        : "step " + m.data().get("step_position").asInt())
                .toList();
    }

    @Test
    void shadowPlainAndRedeliveredReplaysReachWhatTheySayAndNothingElse() throws Exception {
        try (PusherJsSubscriber browser = PusherJsSubscriber.start(auth.url(), List.of(userChannel, shadowChannel))) {
            browser.awaitSubscribed(List.of(userChannel, shadowChannel), Duration.ofSeconds(20));
            Instant from = Instant.now().minusSeconds(1);
            send("step", "{\"audit_id\":\"R" + run + "\",\"step_position\":3,\"status\":\"completed\"}");
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> !browser.events(userChannel).isEmpty());
            // the original record's window: later copies (the replays themselves) stay out of every selection
            String window = "--from=" + from;
            String until = "--to=" + Instant.now();

            assertThat(replay(window, until, "--event-id=" + run + "-step", "--shadow-prefix=debug-"))
                    .isZero();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> !browser.events(shadowChannel).isEmpty());
            fence(browser, 1);
            assertThat(steps(browser, shadowChannel)).as("the shadow channel").containsExactly("step 3");
            assertThat(steps(browser, userChannel))
                    .as("a shadow replay does not touch the user's channel")
                    .containsExactly("step 3", "fence 1");

            assertThat(replay(window, until, "--event-id=" + run + "-step", "--to-topic=realtime.events"))
                    .isZero();
            fence(browser, 2);
            assertThat(steps(browser, userChannel))
                    .as("a plain replay of a delivered event is skipped by the publisher's dedupe")
                    .containsExactly("step 3", "fence 1", "fence 2");

            assertThat(replay(
                            window, until, "--event-id=" + run + "-step", "--to-topic=realtime.events", "--redeliver"))
                    .isZero();
            fence(browser, 3);
            assertThat(steps(browser, userChannel))
                    .as("--redeliver delivers it again, on purpose")
                    .containsExactly("step 3", "fence 1", "fence 2", "step 3", "fence 3");
            assertThat(steps(browser, shadowChannel)).containsExactly("step 3");
        }
    }
}
