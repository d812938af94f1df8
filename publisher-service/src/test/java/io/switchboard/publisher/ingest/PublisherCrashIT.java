package io.switchboard.publisher.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.schemas.ChannelPublish;
import io.switchboard.testkit.KafkaTestBroker;
import io.switchboard.testkit.ProjectRoot;
import io.switchboard.testkit.PusherJsSubscriber;
import io.switchboard.testkit.Soketi;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * publisher-service as its own process (the packaged jar), killed with SIGKILL mid-stream and started again, with the
 * Redis dedupe store: a real pusher-js subscriber on Soketi receives every event, in order per key. The restarted
 * publisher consumes again the whole poll it was killed in (nothing of it was committed) and the dedupe store skips
 * everything of it that had been delivered. The one exception is what Pusher had accepted in the instant between
 * its answer and the dedupe write (the requests in flight when the kill landed): that may arrive twice, which is the
 * documented price of never losing an event. A wave holds one event per key, so at most KEYS events repeat.
 */
class PublisherCrashIT {

    private static final int KEYS = 4;
    private static final int PER_KEY = 150;

    @Test
    void aPublisherKilledMidStreamAndRestartedDeliversEverythingOnceWithRedisDedupe() throws Exception {
        Soketi.ensureRunning();
        String kafka = KafkaTestBroker.bootstrapServers();
        String topic = "publish-crash-" + UUID.randomUUID();
        List<String> keys = IntStream.range(0, KEYS)
                .mapToObj(i -> "crash-" + i + "-" + UUID.randomUUID())
                .toList();
        List<String> channels = keys.stream().map(k -> "job-" + k).toList();
        try (PusherJsSubscriber browser = PusherJsSubscriber.start("http://127.0.0.1:1/unused", channels)) {
            browser.awaitSubscribed(channels, Duration.ofSeconds(20));
            send(kafka, topic, keys);

            Process first = start(kafka, topic, 0);
            try {
                // killed once part of the stream is delivered (the rate limit keeps it from finishing first)
                await().atMost(Duration.ofSeconds(90))
                        .until(() -> browser.events().size() >= 100);
            } finally {
                first.destroyForcibly().waitFor();
            }
            int beforeKill = browser.events().size();
            assertThat(beforeKill).as("killed mid-stream").isLessThan(KEYS * PER_KEY);

            int port;
            try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            Process second = start(kafka, topic, port);
            double dedupeHits;
            try {
                await().atMost(Duration.ofSeconds(120)).until(() -> distinct(browser) >= KEYS * PER_KEY);
                // a late duplicate would arrive right behind: wait for a second without any
                Publishes.awaitQuiet(() -> browser.events().size(), Duration.ofSeconds(1), Duration.ofSeconds(30));
                dedupeHits = Publishes.meter("http://127.0.0.1:" + port, "switchboard_publisher_dedupe_hits_total");
            } finally {
                second.destroy();
                second.waitFor();
            }
            for (String key : keys) {
                // every event, in order (a repeat is dropped before comparing; counted below)
                assertThat(browser.events("job-" + key).stream()
                                .map(m -> m.data().get("progress").asInt())
                                .distinct()
                                .toList())
                        .as(key)
                        .containsExactlyElementsOf(
                                IntStream.range(0, PER_KEY).boxed().toList());
            }
            int repeats = browser.events().size() - KEYS * PER_KEY;
            assertThat(repeats).as("events that arrived twice").isLessThanOrEqualTo(KEYS);
            // the restarted publisher got back what had been delivered before the kill, and skipped it
            assertThat(dedupeHits).isGreaterThanOrEqualTo(beforeKill - KEYS);
        }
    }

    private static void send(String kafka, String topic, List<String> keys) throws Exception {
        try (KafkaProducer<String, ChannelPublish> producer = Publishes.producer(kafka)) {
            for (int n = 0; n < PER_KEY; n++) {
                for (String key : keys) {
                    String data = "{\"jobId\":\"" + key + "\",\"progress\":" + n + "}";
                    producer.send(new ProducerRecord<>(
                            topic,
                            key,
                            Publishes.of(key + "#" + n, "fiches.progressive_fetch.progress", "job-" + key, data)));
                }
            }
            producer.flush();
        }
    }

    private static long distinct(PusherJsSubscriber browser) {
        return browser.events().stream()
                .map(m -> m.channel() + "#" + m.data().get("progress").asInt())
                .distinct()
                .count();
    }

    private static Process start(String kafka, String topic, int port) throws Exception {
        Path jar;
        try (Stream<Path> jars = Files.list(ProjectRoot.path().resolve("publisher-service/target"))) {
            jar = jars.filter(p -> p.getFileName().toString().endsWith("-exec.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("package publisher-service first (mvn verify does)"));
        }
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-jar",
                jar.toString(),
                "--spring.kafka.bootstrap-servers=" + kafka,
                "--server.port=" + port,
                "--switchboard.publisher.input-topic=" + topic,
                "--spring.kafka.consumer.group-id=" + topic,
                // the killed member holds its partitions until its session times out: keep that short
                "--spring.kafka.consumer.properties.session.timeout.ms=6000",
                "--spring.kafka.consumer.heartbeat-interval=2s",
                // slow enough to be killed mid-stream: 200 messages per second
                "--switchboard.publisher.max-messages-per-second=200"));
        command.addAll(Soketi.publisherArgs());
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(new File(ProjectRoot.path()
                        .resolve("publisher-service/target/crash-it-publisher.log")
                        .toString())));
        builder.environment().put("REDIS_URL", "redis://127.0.0.1:6379");
        return builder.start();
    }
}
