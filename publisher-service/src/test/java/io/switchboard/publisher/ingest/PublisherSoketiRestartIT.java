package io.switchboard.publisher.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.publisher.PublisherApplication;
import io.switchboard.schemas.ChannelPublish;
import io.switchboard.testkit.KafkaTestBroker;
import io.switchboard.testkit.PusherJsSubscriber;
import io.switchboard.testkit.Soketi;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A Soketi of the test's own (port 6011, so the shared one stays up for the other tests) is stopped mid-stream and
 * started again: publisher-service pauses on its circuit breaker and delivers everything once Soketi is back, in
 * order per key, to a real pusher-js subscriber that reconnected by itself.
 */
class PublisherSoketiRestartIT {

    private static final String TOPIC = "publish-restart-" + UUID.randomUUID();
    private static Soketi.Instance soketi;
    private static String kafka;
    private static ConfigurableApplicationContext publisher;

    @BeforeAll
    static void start() {
        Soketi.ensureRunning(); // installs Soketi when needed
        soketi = new Soketi.Instance(6011);
        kafka = KafkaTestBroker.bootstrapServers();
        List<String> args = new ArrayList<>(List.of(
                "--spring.kafka.bootstrap-servers=" + kafka,
                "--server.port=0",
                "--switchboard.publisher.input-topic=" + TOPIC));
        args.addAll(soketi.publisherArgs());
        // Pusher keeps nothing for a client that is away: an event published before pusher-js has reconnected and
        // subscribed again is lost to it (by design: clients refetch on reconnect). So that the test can see every
        // event, the breaker opens on the first 4 failures, whatever succeeded before, and stays open long enough
        // for pusher-js to come back (it took 10.7 s after Soketi's restart in one run: its unavailable timeout).
        args.add("--switchboard.publisher.circuit-breaker.window=4");
        args.add("--switchboard.publisher.circuit-breaker.open-wait=30s");
        publisher = PublisherApplication.builder().run(args.toArray(String[]::new));
    }

    @AfterAll
    static void stop() {
        if (publisher != null) {
            publisher.close();
        }
        if (soketi != null) {
            soketi.close();
        }
    }

    @Test
    void soketiStoppedAndRestartedMidStreamLosesNothing() throws Exception {
        List<String> keys = List.of("k1-" + UUID.randomUUID(), "k2-" + UUID.randomUUID(), "k3-" + UUID.randomUUID());
        List<String> channels = keys.stream().map(k -> "job-" + k).toList();
        try (PusherJsSubscriber browser =
                        PusherJsSubscriber.start("http://127.0.0.1:1/unused", channels, null, soketi.port());
                KafkaProducer<String, ChannelPublish> producer = Publishes.producer(kafka)) {
            browser.awaitSubscribed(channels, Duration.ofSeconds(20));
            sendProgress(producer, keys, 0, 10);
            await().atMost(Duration.ofSeconds(30)).until(() -> browser.events().size() >= 30);

            soketi.stop();
            assertThat(soketi.listening()).as("Soketi stopped").isFalse();
            sendProgress(producer, keys, 10, 20); // published while Pusher is away
            // the publisher fails, its breaker opens, consumption pauses
            io.github.resilience4j.circuitbreaker.CircuitBreaker breaker =
                    publisher.getBean(io.github.resilience4j.circuitbreaker.CircuitBreaker.class);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> breaker.getState() == io.github.resilience4j.circuitbreaker.CircuitBreaker.State.OPEN);
            soketi.start();
            // pusher-js reconnects and subscribes again by itself
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> channels.stream()
                            .allMatch(c -> browser.all().stream()
                                            .filter(m -> m.kind().equals("subscribed") && c.equals(m.channel()))
                                            .count()
                                    >= 2));

            await().atMost(Duration.ofSeconds(60))
                    // an event dead-lettered while Soketi was away would never arrive: say so at once
                    .failFast("the publisher dead-lettered events while Soketi was away", () -> deadLettered() > 0)
                    .conditionEvaluationListener(c -> {
                        if (c.getRemainingTimeInMS() < 1000) {
                            System.out.println("subscriber events: "
                                    + browser.events().stream()
                                            .map(m -> m.channel().substring(0, 6)
                                                    + m.data().get("progress"))
                                            .toList());
                            System.out.println("publisher meters: " + meters());
                        }
                    })
                    .until(() -> browser.events().size() >= 60);
            // a duplicate would arrive right behind: wait for half a second without any
            Publishes.awaitQuiet(() -> browser.events().size(), Duration.ofMillis(500), Duration.ofSeconds(30));
            for (String channel : channels) {
                assertThat(browser.events(channel))
                        .extracting(m -> m.data().get("progress").asInt())
                        .containsExactlyElementsOf(
                                java.util.stream.IntStream.range(0, 20).boxed().toList());
            }
        }
    }

    private static double deadLettered() {
        return publisher
                .getBean(io.micrometer.core.instrument.MeterRegistry.class)
                .find("switchboard.publisher.dead_lettered")
                .counters()
                .stream()
                .mapToDouble(io.micrometer.core.instrument.Counter::count)
                .sum();
    }

    private static String meters() {
        io.micrometer.core.instrument.MeterRegistry registry =
                publisher.getBean(io.micrometer.core.instrument.MeterRegistry.class);
        return registry.getMeters().stream()
                .filter(m -> m.getId().getName().startsWith("switchboard"))
                .map(m -> m.getId().getName() + m.getId().getTags() + "="
                        + java.util.stream.StreamSupport.stream(m.measure().spliterator(), false)
                                .map(x -> x.getValue())
                                .toList())
                .toList()
                .toString();
    }

    private static void sendProgress(
            KafkaProducer<String, ChannelPublish> producer, List<String> keys, int from, int to) throws Exception {
        for (int n = from; n < to; n++) {
            for (String key : keys) {
                producer.send(new ProducerRecord<>(
                        TOPIC,
                        key,
                        publish(key + "#" + n, "job-" + key, "{\"jobId\":\"" + key + "\",\"progress\":" + n + "}")));
            }
        }
        producer.flush();
    }

    private static ChannelPublish publish(String id, String channel, String data) {
        return Publishes.of(id, "fiches.progressive_fetch.progress", channel, data);
    }
}
