package io.switchboard.router.ingest;

import static io.switchboard.testkit.KafkaTestClient.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.switchboard.router.RouterApplication;
import io.switchboard.schemas.ChannelPublish;
import io.switchboard.schemas.DeliveryReceipt;
import io.switchboard.schemas.RealtimeEvent;
import io.switchboard.schemas.wire.AvroDeserializer;
import io.switchboard.schemas.wire.AvroSerializer;
import io.switchboard.schemas.wire.PinnedSchemaRegistry;
import io.switchboard.testkit.KafkaTestBroker;
import io.switchboard.testkit.KafkaTestClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * router-service on a real broker: bad records never stop it (each goes to realtime.events.dlq with its reason
 * and original coordinates, and every good record around them is routed in order), oversize payloads are
 * truncated, and progress that goes backwards is dropped.
 */
class RouterDeadLetterIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final AvroDeserializer<DeliveryReceipt> RECEIPTS =
            new AvroDeserializer<>(DeliveryReceipt.class, PinnedSchemaRegistry.instance());
    private static final AvroDeserializer<ChannelPublish> PUBLISHES =
            new AvroDeserializer<>(ChannelPublish.class, PinnedSchemaRegistry.instance());
    private static String kafka;
    private static ConfigurableApplicationContext router;

    @BeforeAll
    static void start() {
        kafka = KafkaTestBroker.bootstrapServers();
        router = RouterApplication.builder().run("--spring.kafka.bootstrap-servers=" + kafka, "--server.port=0");
    }

    @AfterAll
    static void stop() {
        if (router != null) {
            router.close();
        }
    }

    /** One malformed input and the reason the dead letter must carry. */
    private record Bad(String reason, byte[] value) {}

    @Test
    void twentySixMalformedInputsAreDeadLetteredWithTheirReasonAndGoodEventsStillFlowInOrder() throws Exception {
        String key = "audit-" + UUID.randomUUID();
        byte[] good = event(key, "g", "audit.step_completed", "{\"audit_id\":\"A\",\"fiche_id\":\"F\"}", null);
        byte[] otherSchema = good.clone();
        otherSchema[4] = 2; // ChannelPublish's id: a frame that names a schema of another record
        byte[] negativeLength = {0, 0, 0, 0, 1, 0x01, 'x'}; // the first string's length is -1
        List<String> tooMany = IntStream.range(0, 101).mapToObj(i -> "c" + i).toList();
        List<Bad> bad = List.of(
                new Bad("NOT_FRAMED", "{\"type\":\"audit.started\"}".getBytes(StandardCharsets.UTF_8)),
                new Bad("NOT_FRAMED", new byte[] {1, 0, 0, 0, 1, 2, 3}),
                new Bad("EMPTY", new byte[0]),
                new Bad("EMPTY", null),
                new Bad("TRUNCATED", new byte[] {0, 0, 0}),
                new Bad("TRUNCATED", Arrays.copyOf(good, 20)),
                new Bad("UNKNOWN_SCHEMA_ID", withSchemaId(good, 42)),
                new Bad("NOT_AVRO", otherSchema),
                new Bad("NOT_AVRO", Arrays.copyOf(good, good.length + 4)),
                new Bad("NOT_AVRO", negativeLength),
                new Bad("PAYLOAD_NOT_JSON", event(key, "b1", "audit.progress", "{not json", null)),
                new Bad("PAYLOAD_NOT_JSON", event(key, "b2", "audit.progress", "{\"a\":1,}", null)),
                new Bad("PAYLOAD_NOT_OBJECT", event(key, "b3", "audit.progress", "[1,2,3]", null)),
                new Bad("PAYLOAD_NOT_OBJECT", event(key, "b4", "audit.progress", "\"text\"", null)),
                new Bad("PAYLOAD_NOT_OBJECT", event(key, "b5", "audit.progress", "null", null)),
                new Bad("PAYLOAD_NOT_OBJECT", event(key, "b6", "audit.progress", "", null)),
                new Bad("MISSING_TYPE", event(key, "b7", "", "{\"audit_id\":\"A\"}", null)),
                new Bad("MISSING_TYPE", event(key, "b8", "   ", "{\"audit_id\":\"A\"}", null)),
                new Bad(
                        "UNSAFE_PLACEHOLDER",
                        event(key, "b9", "audit.progress", "{\"audit_id\":\"A.private-org.1\"}", null)),
                new Bad("UNSAFE_PLACEHOLDER", event(key, "b10", "audit.progress", "{\"audit_id\":{\"id\":1}}", null)),
                new Bad("UNSAFE_PLACEHOLDER", event(key, "b11", "audit.progress", "{\"audit_id\":true}", null)),
                new Bad("UNSAFE_PLACEHOLDER", event(key, "b12", "audit.progress", "{\"fiche_id\":1.5}", null)),
                new Bad(
                        "UNSAFE_PLACEHOLDER",
                        event(key, "b13", "qa.run.progress", "{\"org_id\":\"\u0031\u200b\"}", null)),
                new Bad("UNSAFE_PLACEHOLDER", event(key, "b14", "rewrite.progress", "{\"rewrite_id\":\"\"}", null)),
                new Bad("INVALID_CHANNEL", event(key, "b15", "audit.progress", "{}", List.of("ok", "bad channel"))),
                new Bad("TOO_MANY_CHANNELS", event(key, "b16", "audit.progress", "{}", tooMany)));
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        logs.start();
        root.addAppender(logs);

        List<String> goodIds = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = KafkaTestClient.rawProducer(kafka)) {
            for (int i = 0; i <= bad.size(); i++) {
                String id = "good-" + i;
                goodIds.add(id);
                producer.send(new ProducerRecord<>(
                        "realtime.events",
                        key,
                        event(
                                key,
                                id,
                                "audit.step_completed",
                                "{\"audit_id\":\"A\",\"fiche_id\":\"F\",\"step_position\":" + i + "}",
                                null)));
                if (i < bad.size()) {
                    producer.send(new ProducerRecord<>(
                            "realtime.events", key, bad.get(i).value()));
                }
            }
            producer.flush();
        }

        try (KafkaTestClient topics = KafkaTestClient.subscribe(kafka, "realtime.publish", "realtime.events.dlq")) {
            List<ConsumerRecord<String, byte[]>> mine = KafkaTestClient.withKey(
                    topics.pollUntil(
                            Duration.ofSeconds(90),
                            seen -> count(seen, key, "realtime.publish") == goodIds.size()
                                    && count(seen, key, "realtime.events.dlq") == bad.size()),
                    key);
            List<ChannelPublish> published = mine.stream()
                    .filter(r -> r.topic().equals("realtime.publish"))
                    .map(r -> PUBLISHES.deserialize(r.topic(), r.value()))
                    .toList();
            List<ConsumerRecord<String, byte[]>> deadLetters = mine.stream()
                    .filter(r -> r.topic().equals("realtime.events.dlq"))
                    .toList();

            assertThat(published).extracting(ChannelPublish::getEventId).containsExactlyElementsOf(goodIds);
            assertThat(published.get(0).getChannels()).containsExactly("private-audit-A", "private-fiche-F");
            assertThat(deadLetters)
                    .extracting(r -> header(r, "switchboard-reason"))
                    .containsExactlyElementsOf(bad.stream().map(Bad::reason).toList());
            for (int i = 0; i < bad.size(); i++) {
                ConsumerRecord<String, byte[]> dead = deadLetters.get(i);
                assertThat(header(dead, "kafka_dlt-original-topic")).isEqualTo("realtime.events");
                assertThat(header(dead, "kafka_dlt-original-partition")).isNotNull();
                assertThat(header(dead, "kafka_dlt-original-offset")).isNotNull();
                assertThat(header(dead, "kafka_dlt-original-timestamp")).isNotNull();
                assertThat(header(dead, "kafka_dlt-exception-message"))
                        .as("a readable message")
                        .isNotBlank();
                assertThat(header(dead, "switchboard-stage")).isEqualTo("router");
                assertThat(header(dead, "switchboard-reason-text"))
                        .as("dead letter %d says why in words, not a listener wrapper", i)
                        .isNotBlank()
                        .doesNotContain("Listener failed")
                        .doesNotContain("listener method");
                if (i >= 10) {
                    assertThat(header(dead, "switchboard-event-id")).isEqualTo("b" + (i - 9));
                }
                if (i < 10) {
                    assertThat(dead.value())
                            .as("undecodable record %d keeps its bytes", i)
                            .isEqualTo(bad.get(i).value());
                }
            }
            assertThat(header(deadLetters.get(10), "switchboard-reason-text")).contains("is not JSON");
            assertThat(header(deadLetters.get(18), "switchboard-reason-text")).contains("audit_id");
        } finally {
            root.detachAppender(logs);
        }
        // bad input does not flood the logs: one WARN line per dead letter, with the event id, reason and text;
        // no ERROR and no stack trace (150 bad rows used to write about 9,000 lines)
        assertThat(logs.list).noneMatch(e -> e.getLevel() == Level.ERROR);
        List<ILoggingEvent> deadLetterLines = logs.list.stream()
                .filter(e -> e.getFormattedMessage().startsWith("dead-lettered event"))
                .toList();
        assertThat(deadLetterLines)
                .hasSize(bad.size())
                .allMatch(e -> e.getLevel() == Level.WARN && e.getThrowableProxy() == null);
        assertThat(deadLetterLines.get(10).getFormattedMessage())
                .contains("event b1 ")
                .contains("PAYLOAD_NOT_JSON")
                .contains("is not JSON");
    }

    /** Pusher reserves event names starting with pusher: and pusher_internal: (issue 14): a producer's is refused. */
    @Test
    void pushersReservedEventNamesAreDeadLetteredWithTheirReason() throws Exception {
        String key = "audit-" + UUID.randomUUID();
        List<String> types = List.of("pusher:subscribe", "pusher_internal:member_added", "pusher:signin");
        try (KafkaProducer<String, byte[]> producer = KafkaTestClient.rawProducer(kafka)) {
            for (String type : types) {
                producer.send(new ProducerRecord<>(
                        "realtime.events", key, event(key, type, type, "{\"audit_id\":\"A\"}", null)));
            }
            producer.send(new ProducerRecord<>(
                    "realtime.events", key, event(key, "fine", "audit.progress", "{\"audit_id\":\"A\"}", null)));
            producer.flush();
        }
        try (KafkaTestClient topics = KafkaTestClient.subscribe(kafka, "realtime.publish", "realtime.events.dlq")) {
            List<ConsumerRecord<String, byte[]>> mine = KafkaTestClient.withKey(
                    topics.pollUntil(
                            Duration.ofSeconds(30),
                            seen -> count(seen, key, "realtime.events.dlq") == types.size()
                                    && count(seen, key, "realtime.publish") == 1),
                    key);
            List<ConsumerRecord<String, byte[]>> dead = mine.stream()
                    .filter(r -> r.topic().equals("realtime.events.dlq"))
                    .toList();
            assertThat(dead).extracting(r -> header(r, "switchboard-event-id")).containsExactlyElementsOf(types);
            assertThat(dead).allSatisfy(r -> {
                assertThat(header(r, "switchboard-reason")).isEqualTo("RESERVED_EVENT_NAME");
                assertThat(header(r, "switchboard-reason-text")).contains("Pusher's own");
            });
            assertThat(mine.stream().filter(r -> r.topic().equals("realtime.publish")))
                    .singleElement()
                    .satisfies(r -> assertThat(
                                    PUBLISHES.deserialize(r.topic(), r.value()).getEventId())
                            .isEqualTo("fine"));
        }
    }

    @Test
    void oversizePayloadsAreTruncatedAndBackwardProgressIsDropped() throws Exception {
        String key = "audit-" + UUID.randomUUID();
        String explanation = "x".repeat(50_000);
        try (KafkaProducer<String, byte[]> producer = KafkaTestClient.rawProducer(kafka)) {
            producer.send(new ProducerRecord<>(
                    "realtime.events",
                    key,
                    event(
                            key,
                            "big",
                            "audit.step_completed",
                            "{\"audit_id\":\"A\",\"fiche_id\":\"F\",\"score\":8,\"explanation\":\"" + explanation
                                    + "\"}",
                            null)));
            for (int percent : new int[] {10, 50, 30, 60}) {
                producer.send(new ProducerRecord<>(
                        "realtime.events",
                        key,
                        event(
                                key,
                                "p" + percent,
                                "audit.progress",
                                "{\"audit_id\":\"A\",\"progress_percentage\":" + percent + "}",
                                null)));
            }
            producer.send(new ProducerRecord<>(
                    "realtime.events",
                    key,
                    event(key, "done", "audit.completed", "{\"audit_id\":\"A\",\"status\":\"completed\"}", null)));
            producer.flush();
        }
        try (KafkaTestClient topic = KafkaTestClient.subscribe(kafka, "realtime.publish")) {
            List<ChannelPublish> published = topic.withKey(key, 5, Duration.ofSeconds(30)).stream()
                    .map(r -> PUBLISHES.deserialize(r.topic(), r.value()))
                    .toList();
            assertThat(published)
                    .extracting(ChannelPublish::getEventId)
                    .containsExactly("big", "p10", "p50", "p60", "done");

            ChannelPublish big = published.get(0);
            JsonNode data = JSON.readTree(big.getData());
            assertThat(big.getTruncated()).isTrue();
            assertThat(big.getData().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(9000);
            assertThat(big.getOriginalBytes()).isGreaterThan(50_000);
            assertThat(data.get("_truncated").asBoolean()).isTrue();
            assertThat(data.get("audit_id").asString()).isEqualTo("A");
            assertThat(data.get("score").asInt()).isEqualTo(8);
        }
        // to a private-encrypted- channel, the limit holds for the encrypted data: 6,689 bytes of plaintext become
        // 9,000 once encrypted (EncryptionOverhead)
        String encryptedKey = "audit-" + UUID.randomUUID();
        try (KafkaProducer<String, byte[]> producer = KafkaTestClient.rawProducer(kafka)) {
            producer.send(new ProducerRecord<>(
                    "realtime.events",
                    encryptedKey,
                    event(
                            encryptedKey,
                            "big-encrypted",
                            "audit.step_completed",
                            "{\"audit_id\":\"A\",\"explanation\":\"" + "y".repeat(8000) + "\"}",
                            List.of("private-audit-A", "private-encrypted-audit-A"))));
            producer.flush();
        }
        try (KafkaTestClient topic = KafkaTestClient.subscribe(kafka, "realtime.publish")) {
            ChannelPublish encrypted = PUBLISHES.deserialize(
                    "realtime.publish",
                    topic.withKey(encryptedKey, 1, Duration.ofSeconds(30))
                            .get(0)
                            .value());
            assertThat(encrypted.getTruncated()).isTrue();
            assertThat(encrypted.getData().getBytes(StandardCharsets.UTF_8).length)
                    .isLessThanOrEqualTo(6689);
        }
        // what an operator sees: health, and the counters on the Prometheus endpoint
        String base = "http://127.0.0.1:" + router.getEnvironment().getProperty("local.server.port") + "/actuator/";
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpResponse<String> health = http.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "health"))
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"");
        String metrics = http.send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "prometheus"))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString())
                .body();
        assertThat(metrics)
                .containsPattern("switchboard_router_dropped_total\\{[^}]*reason=\"PROGRESS_REGRESSED\"[^}]*} [1-9]")
                .containsPattern("switchboard_router_truncated_total\\{[^}]*rule=\"audits\"[^}]*} [1-9]")
                .containsPattern("switchboard_router_routed_total\\{[^}]*rule=\"audits\"[^}]*} [1-9]")
                .contains("switchboard_router_route_seconds");
    }

    private static long count(List<ConsumerRecord<String, byte[]>> seen, String key, String topic) {
        return seen.stream()
                .filter(r -> key.equals(r.key()) && r.topic().equals(topic))
                .count();
    }

    private static byte[] withSchemaId(byte[] framed, int id) {
        byte[] copy = framed.clone();
        copy[1] = (byte) (id >>> 24);
        copy[2] = (byte) (id >>> 16);
        copy[3] = (byte) (id >>> 8);
        copy[4] = (byte) id;
        return copy;
    }

    /** Issue 15: a policy drop and a dead letter each leave a receipt in realtime.ledger, with the reason. */
    @Test
    void policyDropsAndDeadLettersLeaveReceiptsInTheLedger() throws Exception {
        String run = UUID.randomUUID().toString();
        String key = "audit-" + run;
        try (KafkaProducer<String, byte[]> producer = KafkaTestClient.rawProducer(kafka)) {
            for (int percent : new int[] {50, 30}) { // seed 002's audit progress, going back
                producer.send(new ProducerRecord<>(
                        "realtime.events",
                        key,
                        event(
                                key,
                                run + "-p" + percent,
                                "audit.progress",
                                "{\"audit_id\":\"" + key + "\",\"fiche_id\":\"F1\",\"progress_percentage\":" + percent
                                        + "}",
                                null)));
            }
            producer.send(new ProducerRecord<>(
                    "realtime.events",
                    key,
                    event(key, run + "-bad", "audit.step_completed", "{\"audit_id\":\"A.private-org.1\"}", null)));
            producer.flush();
        }
        List<DeliveryReceipt> receipts;
        try (KafkaTestClient ledger = KafkaTestClient.subscribe(kafka, "realtime.ledger")) {
            receipts = ledger
                    .pollUntil(
                            Duration.ofSeconds(30),
                            seen -> seen.stream()
                                            .filter(r -> r.key().startsWith(run))
                                            .count()
                                    >= 2)
                    .stream()
                    .filter(r -> r.key().startsWith(run))
                    .map(r -> RECEIPTS.deserialize(r.topic(), r.value()))
                    .toList();
        }
        assertThat(receipts)
                .extracting(
                        DeliveryReceipt::getEventId,
                        DeliveryReceipt::getStage,
                        DeliveryReceipt::getOutcome,
                        DeliveryReceipt::getReason)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(run + "-p30", "router", "DROPPED", "PROGRESS_REGRESSED"),
                        org.assertj.core.groups.Tuple.tuple(
                                run + "-bad", "router", "DEAD_LETTERED", "UNSAFE_PLACEHOLDER"));
        DeliveryReceipt dropped = receipts.stream()
                .filter(r -> r.getOutcome().equals("DROPPED"))
                .findFirst()
                .orElseThrow();
        assertThat(dropped.getAggregateId()).isEqualTo(key);
        assertThat(dropped.getType()).isEqualTo("audit.progress");
        assertThat(dropped.getDetail()).contains(key).contains("went backwards");
        assertThat(dropped.getSourceTopic()).isEqualTo("realtime.events");
        DeliveryReceipt dead = receipts.stream()
                .filter(r -> r.getOutcome().equals("DEAD_LETTERED"))
                .findFirst()
                .orElseThrow();
        assertThat(dead.getDetail()).contains("audit_id");
    }

    /**
     * Issue 15, "logs carry the trace id and event id": the router's dead-letter line is written inside the event's
     * span, so it carries the trace id of the traceparent the event came with (Boot's correlation pattern reads
     * {@code traceId} from the MDC), sampled or not, and names the event.
     */
    @Test
    void theDeadLetterLineCarriesTheEventsTraceIdAndEventId() throws Exception {
        String key = "audit-" + UUID.randomUUID();
        String sampled = UUID.randomUUID().toString().replace("-", "");
        String unsampled = UUID.randomUUID().toString().replace("-", "");
        ListAppender<ILoggingEvent> logs = new ListAppender<>() {
            @Override
            protected void append(ILoggingEvent e) {
                e.prepareForDeferredProcessing(); // the MDC of the thread that logs, not of the one that asserts
                super.append(e);
            }
        };
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        logs.start();
        root.addAppender(logs);
        try {
            try (KafkaProducer<String, byte[]> producer = KafkaTestClient.rawProducer(kafka)) {
                for (String[] trace : new String[][] {{sampled, "01", "-sampled"}, {unsampled, "00", "-unsampled"}}) {
                    producer.send(new ProducerRecord<>(
                            "realtime.events",
                            key,
                            event(
                                    key,
                                    key + trace[2],
                                    "audit.progress",
                                    "{\"audit_id\":\"A.private-org.1\"}",
                                    null,
                                    Map.of("traceparent", "00-" + trace[0] + "-00f067aa0ba902b7-" + trace[1]))));
                }
                producer.flush();
            }
            try (KafkaTestClient dlq = KafkaTestClient.subscribe(kafka, "realtime.events.dlq")) {
                dlq.withKey(key, 2, Duration.ofSeconds(30));
            }
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> logs.list.stream()
                                    .filter(e -> e.getFormattedMessage().contains(key))
                                    .count()
                            >= 2);
        } finally {
            root.detachAppender(logs);
        }
        for (String[] expected : new String[][] {{key + "-sampled", sampled}, {key + "-unsampled", unsampled}}) {
            assertThat(logs.list)
                    .filteredOn(e -> e.getFormattedMessage().startsWith("dead-lettered event " + expected[0] + " "))
                    .singleElement()
                    .satisfies(e -> assertThat(e.getFormattedMessage()).contains("UNSAFE_PLACEHOLDER"))
                    .satisfies(e -> assertThat(e.getMDCPropertyMap())
                            .as("the MDC of %s's line", expected[0])
                            .containsEntry("traceId", expected[1])
                            .containsKey("spanId"));
        }
    }

    private static byte[] event(String key, String id, String type, String payload, List<String> channels) {
        return event(key, id, type, payload, channels, Map.of());
    }

    private static byte[] event(
            String key, String id, String type, String payload, List<String> channels, Map<String, String> headers) {
        RealtimeEvent event = RealtimeEvent.newBuilder()
                .setEventId(id)
                .setType(type)
                .setOccurredAt(Instant.now())
                .setSource("test")
                .setAggregateType("audit")
                .setAggregateId(key)
                .setPayload(payload)
                .setChannels(channels)
                .setHeaders(headers)
                .build();
        return new AvroSerializer<RealtimeEvent>().serialize("realtime.events", event);
    }
}
