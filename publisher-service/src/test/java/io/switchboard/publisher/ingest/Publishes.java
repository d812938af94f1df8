package io.switchboard.publisher.ingest;

import io.switchboard.schemas.ChannelPublish;
import io.switchboard.schemas.wire.AvroSerializer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
