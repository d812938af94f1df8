package io.switchboard.publisher.ingest;

import static io.switchboard.testkit.KafkaTestClient.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.publisher.PublisherApplication;
import io.switchboard.schemas.ChannelPublish;
import io.switchboard.testkit.ChannelAuthStandIn;
import io.switchboard.testkit.KafkaTestBroker;
import io.switchboard.testkit.KafkaTestClient;
import io.switchboard.testkit.PusherJsSubscriber;
import io.switchboard.testkit.Soketi;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.json.JsonMapper;

/**
 * publisher-service against Soketi (a real Pusher-protocol server) and a real pusher-js subscriber, which subscribes
 * to private channels through {@link ChannelAuthStandIn} (gateway-service's endpoint is tested in gateway-service).
 */
class PublisherSoketiIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String MASTER_KEY =
            java.util.Base64.getEncoder().encodeToString("a master key of 32 bytes, really".getBytes());
    private static String kafka;
    private static ConfigurableApplicationContext publisher;
    private static ChannelAuthStandIn auth;
    private static String authUrl;

    @BeforeAll
    static void start() throws Exception {
        Soketi.ensureRunning();
        kafka = KafkaTestBroker.bootstrapServers();
        List<String> args =
                new java.util.ArrayList<>(List.of("--spring.kafka.bootstrap-servers=" + kafka, "--server.port=0"));
        args.addAll(Soketi.publisherArgs());
        args.add("--PUSHER_ENCRYPTION_MASTER_KEY_BASE64=" + MASTER_KEY);
        publisher = PublisherApplication.builder().run(args.toArray(String[]::new));
        auth = ChannelAuthStandIn.forSoketi(MASTER_KEY);
        authUrl = auth.url();
    }

    @AfterAll
    static void stop() {
        if (publisher != null) {
            publisher.close();
        }
        if (auth != null) {
            auth.close();
        }
    }

    @Test
    void deliversToSubscribersAndDeadLettersWhatSoketiRefuses() throws Exception {
        String channel = "private-job-" + UUID.randomUUID();
        String key = UUID.randomUUID().toString();
        String small = "{\"jobId\":\"" + channel + "\",\"progress\":42,\"label\":\"caf\u00e9 \u2713\"}";
        String oversize = "{\"jobId\":\"x\",\"blob\":\"" + "a".repeat(11_000) + "\"}";
        try (PusherJsSubscriber browser = PusherJsSubscriber.start(authUrl, List.of(channel))) {
            browser.awaitSubscribed(List.of(channel), Duration.ofSeconds(20));
            try (KafkaProducer<String, ChannelPublish> producer = Publishes.producer(kafka)) {
                producer.send(new ProducerRecord<>("realtime.publish", key, publish("too-big", channel, oversize)));
                producer.send(new ProducerRecord<>("realtime.publish", key, publish("ok", channel, small)))
                        .get();
            }
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> !browser.events(channel).isEmpty());
            assertThat(browser.events(channel)).hasSize(1);
            assertThat(browser.events(channel).get(0).event()).isEqualTo("fiches.progressive_fetch.progress");
            assertThat(browser.events(channel).get(0).data()).isEqualTo(JSON.readTree(small));
        }

        ConsumerRecord<String, byte[]> dead;
        try (KafkaTestClient topic = KafkaTestClient.subscribe(kafka, "realtime.publish.dlq")) {
            dead = topic.withKey(key, 1, Duration.ofSeconds(30)).get(0);
        }
        assertThat(header(dead, "switchboard-reason")).isEqualTo("PUSHER_REJECTED");
        assertThat(header(dead, "switchboard-http-status")).isEqualTo("413");
        assertThat(header(dead, "kafka_dlt-original-topic")).isEqualTo("realtime.publish");
    }

    @Test
    void aRedeliveredEventReachesEachChannelOnce() throws Exception {
        String channel = "private-job-" + UUID.randomUUID();
        String key = UUID.randomUUID().toString();
        try (PusherJsSubscriber browser = PusherJsSubscriber.start(authUrl, List.of(channel))) {
            browser.awaitSubscribed(List.of(channel), Duration.ofSeconds(20));
            try (KafkaProducer<String, ChannelPublish> producer = Publishes.producer(kafka)) {
                ChannelPublish once = publish("dup-" + key, channel, "{\"jobId\":\"j\",\"progress\":1}");
                producer.send(new ProducerRecord<>("realtime.publish", key, once));
                producer.send(new ProducerRecord<>("realtime.publish", key, once)); // the same event, redelivered
                // a fence behind both on the same key: once it arrives, the repeat would have arrived before it
                producer.send(new ProducerRecord<>(
                                "realtime.publish", key, publish("fence-" + key, channel, "{\"fence\":true}")))
                        .get();
            }
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> browser.events(channel).stream()
                            .anyMatch(m -> m.data().has("fence")));
            assertThat(browser.events(channel)).hasSize(2);
            assertThat(browser.events(channel).get(0).data().get("progress").asInt())
                    .isEqualTo(1);
        }
    }

    /**
     * End-to-end encryption: the publisher encrypts an event for its private-encrypted- channel with the master key
     * (PUSHER_ENCRYPTION_MASTER_KEY_BASE64), Soketi relays ciphertext, and a real pusher-js client, given the
     * channel's shared_secret by the auth endpoint, decrypts it to the same data its clear sibling channel carries.
     */
    @Test
    void pusherJsDecryptsWhatThePublisherEncryptsForAnEncryptedChannel() throws Exception {
        String id = UUID.randomUUID().toString();
        String clear = "private-job-" + id;
        String encrypted = "private-encrypted-job-" + id;
        String data = "{\"jobId\":\"" + id + "\",\"progress\":7,\"label\":\"caf\u00e9 \u2713\"}";
        try (PusherJsSubscriber browser = PusherJsSubscriber.start(authUrl, List.of(clear, encrypted))) {
            browser.awaitSubscribed(List.of(clear, encrypted), Duration.ofSeconds(20));
            try (KafkaProducer<String, ChannelPublish> producer = Publishes.producer(kafka)) {
                ChannelPublish both = Publishes.of("enc-" + id, "fiches.progressive_fetch.progress", clear, data);
                both.setChannels(List.of(clear, encrypted));
                producer.send(new ProducerRecord<>("realtime.publish", id, both))
                        .get();
            }
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> !browser.events(encrypted).isEmpty()
                            && !browser.events(clear).isEmpty());
            assertThat(browser.events(encrypted)).hasSize(1);
            assertThat(browser.events(encrypted).get(0).event()).isEqualTo("fiches.progressive_fetch.progress");
            assertThat(browser.events(encrypted).get(0).data()).isEqualTo(JSON.readTree(data));
            assertThat(browser.events(clear).get(0).data()).isEqualTo(JSON.readTree(data));
        }
        assertThat(auth.signed()).extracting(ChannelAuthStandIn.Signed::channel).contains(encrypted);
    }

    private static ChannelPublish publish(String id, String channel, String data) {
        return Publishes.of(id, "fiches.progressive_fetch.progress", channel, data);
    }
}
