package io.switchboard.publisher.ingest;

import static org.awaitility.Awaitility.await;

import io.switchboard.schemas.ChannelPublish;
import io.switchboard.schemas.wire.AvroSerializer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

/** What the publisher's integration tests feed it and read back from it. */
final class Publishes {

    private Publishes() {}

    /** A ChannelPublish as the router emits it, to one channel. */
    static ChannelPublish of(String eventId, String name, String channel, String data) {
        return ChannelPublish.newBuilder()
                .setEventId(eventId)
                .setName(name)
                .setChannels(List.of(channel))
                .setData(data)
                .setOccurredAt(Instant.now())
                .setRoutedAt(Instant.now())
                .setTruncated(false)
                .setOriginalBytes(data.length())
                .build();
    }

    /**
     * Waits until {@code count} has not changed for {@code quiet} (a late repeat would arrive within it), at most
     * {@code atMost}; returns the count then.
     */
    static int awaitQuiet(IntSupplier count, Duration quiet, Duration atMost) {
        AtomicInteger last = new AtomicInteger(-1);
        await().during(quiet).atMost(atMost).pollInterval(Duration.ofMillis(50)).until(() -> {
            int now = count.getAsInt();
            return last.getAndSet(now) == now;
        });
        return last.get();
    }

    static KafkaProducer<String, ChannelPublish> producer(String kafka) {
        return new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka), new StringSerializer(), new AvroSerializer<>());
    }

    /** The sum of a meter's series in the service's /actuator/prometheus (e.g. over every reason label). */
    static double meter(String baseUrl, String name) throws Exception {
        String body = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(baseUrl + "/actuator/prometheus"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        return body.lines()
                .filter(l -> l.startsWith(name))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }
}
