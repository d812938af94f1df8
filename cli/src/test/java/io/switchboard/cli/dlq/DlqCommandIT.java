package io.switchboard.cli.dlq;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.cli.SwitchboardCommand;
import io.switchboard.cli.kafka.LongRead;
import io.switchboard.cli.kafka.WrongAddresses;
import io.switchboard.kafka.DeadLetterHeaders;
import io.switchboard.schemas.ChannelPublish;
import io.switchboard.schemas.RealtimeEvent;
import io.switchboard.schemas.wire.PinnedSchemaRegistry;
import io.switchboard.schemas.wire.WireFormat;
import io.switchboard.testkit.KafkaTestBroker;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.kafka.support.KafkaHeaders;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code switchboard dlq} on a real broker, over dead letters written with the headers the three stages write
 * (docs/dead-letters.md): a router dead letter that could not be decoded (UNKNOWN_SCHEMA_ID, original bytes), one
 * that could not be routed (RESERVED_EVENT_NAME, Avro), a relay row (MISSING_TYPE, JSON) and a publisher refusal
 * (PUSHER_REJECTED, Avro).
 */
class DlqCommandIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String KAFKA = KafkaTestBroker.bootstrapServers();
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String EVENTS = "it-" + RUN + ".realtime.events";
    private static final String PUBLISH = "it-" + RUN + ".realtime.publish";
    private static final String EVENTS_DLQ = EVENTS + ".dlq";
    private static final String PUBLISH_DLQ = PUBLISH + ".dlq";
    private static final byte[] UNKNOWN_ID_BYTES = {0, 0, 0, 0x27, 0x0f, 2, 4, 6};

    private static byte[] reservedBytes;
    private static byte[] publishBytes;

    record Run(int exit, String out, String err) {
        List<JsonNode> json() {
            return out.lines().map(JSON::readTree).toList();
        }
    }

    @BeforeAll
    static void writeDeadLetters() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA))) {
            admin.createTopics(List.of(
                            new NewTopic(EVENTS, 1, (short) 1),
                            new NewTopic(PUBLISH, 1, (short) 1),
                            new NewTopic(EVENTS_DLQ, 2, (short) 1),
                            new NewTopic(PUBLISH_DLQ, 1, (short) 1)))
                    .all()
                    .get();
        }
        PinnedSchemaRegistry registry = PinnedSchemaRegistry.instance();
        RealtimeEvent reserved = RealtimeEvent.newBuilder()
                .setEventId("e-reserved")
                .setType("pusher:subscribe")
                .setOccurredAt(Instant.parse("2026-12-03T09:00:00Z"))
                .setSource("it")
                .setAggregateType("audit")
                .setAggregateId("agg-2")
                .setPayload("{\"audit_id\":\"A\"}")
                .setHeaders(Map.of("traceparent", "00-abc-def-01"))
                .build();
        reservedBytes = WireFormat.encode(registry.idFor(EVENTS + "-value", RealtimeEvent.getClassSchema()), reserved);
        ChannelPublish publish = ChannelPublish.newBuilder()
                .setEventId("e-pub")
                .setName("audit.step_completed")
                .setChannels(List.of("private-audit-A"))
                .setData("{\"audit_id\":\"A\"}")
                .setOccurredAt(Instant.parse("2026-12-03T09:00:00Z"))
                .setRoutedAt(Instant.parse("2026-12-03T09:00:01Z"))
                .setHeaders(Map.of())
                .build();
        publishBytes = WireFormat.encode(registry.idFor(PUBLISH + "-value", ChannelPublish.getClassSchema()), publish);

        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            Headers unknown = router("UNKNOWN_SCHEMA_ID", "UNKNOWN_SCHEMA_ID: schema id 9999 is not pinned", null, 17);
            producer.send(new ProducerRecord<>(EVENTS_DLQ, null, bytes("agg-1"), UNKNOWN_ID_BYTES, unknown))
                    .get();
            Headers reservedHeaders =
                    router("RESERVED_EVENT_NAME", "event name pusher:subscribe is reserved", "e-reserved", 18);
            reservedHeaders.add("traceparent", bytes("00-abc-def-01"));
            producer.send(new ProducerRecord<>(EVENTS_DLQ, null, bytes("agg-2"), reservedBytes, reservedHeaders))
                    .get();
            RecordHeaders relay = new RecordHeaders();
            DeadLetterHeaders.add(relay, "relay", "MISSING_TYPE", "row 42 has no type", "e-relay");
            DeadLetterHeaders.put(relay, DeadLetterHeaders.OUTBOX_ID, "42");
            DeadLetterHeaders.put(relay, DeadLetterHeaders.OUTBOX_TABLE, "realtime_outbox");
            byte[] row = bytes("{\"id\":42,\"eventId\":\"e-relay\",\"type\":null,\"source\":\"it\","
                    + "\"aggregateId\":\"agg-3\",\"payload\":\"{}\",\"createdAt\":\"2026-12-03T09:00:00Z\"}");
            producer.send(new ProducerRecord<>(EVENTS_DLQ, null, bytes("agg-3"), row, relay))
                    .get();
            RecordHeaders publisher = new RecordHeaders();
            DeadLetterHeaders.add(publisher, "publisher", "PUSHER_REJECTED", "Pusher answered 400", "e-pub");
            original(publisher, PUBLISH, 0, 5);
            DeadLetterHeaders.put(publisher, "switchboard-http-status", "400");
            DeadLetterHeaders.put(publisher, "switchboard-pusher-message", "Invalid channel");
            DeadLetterHeaders.put(publisher, "switchboard-attempts", "1");
            producer.send(new ProducerRecord<>(PUBLISH_DLQ, null, bytes("agg-4"), publishBytes, publisher))
                    .get();
        }
    }

    private static Headers router(String reason, String text, String eventId, long offset) {
        RecordHeaders headers = new RecordHeaders();
        DeadLetterHeaders.add(headers, "router", reason, text, eventId);
        original(headers, EVENTS, 0, offset);
        return headers;
    }

    /** spring-kafka's coordinates: partition and offset as 4- and 8-byte big-endian integers. */
    private static void original(Headers headers, String topic, int partition, long offset) {
        headers.add(KafkaHeaders.DLT_ORIGINAL_TOPIC, bytes(topic));
        headers.add(
                KafkaHeaders.DLT_ORIGINAL_PARTITION,
                ByteBuffer.allocate(4).putInt(partition).array());
        headers.add(
                KafkaHeaders.DLT_ORIGINAL_OFFSET,
                ByteBuffer.allocate(8).putLong(offset).array());
        headers.add(
                KafkaHeaders.DLT_ORIGINAL_TIMESTAMP,
                ByteBuffer.allocate(8).putLong(1_796_288_400_000L).array());
        headers.add(KafkaHeaders.DLT_EXCEPTION_FQCN, bytes("io.switchboard.router.routing.RoutingException"));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static Run dlq(String subcommand, String... args) {
        return dlqOn(KAFKA, subcommand, args);
    }

    private static Run dlqOn(String kafka, String subcommand, String... args) {
        List<String> all = new ArrayList<>(List.of(
                "dlq",
                subcommand,
                "--bootstrap-servers=" + kafka,
                "--events-dlq=" + EVENTS_DLQ,
                "--publish-dlq=" + PUBLISH_DLQ));
        all.addAll(List.of(args));
        return execute(all.toArray(String[]::new));
    }

    private static Run execute(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new SwitchboardCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        // the report's output file shows what an operator sees (docs/runbook-dlq.md quotes it)
        System.out.println("$ switchboard " + String.join(" ", args) + "\n" + out + err + "[exit " + exit + "]");
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void listCountsByStageAndReasonThenOneLinePerDeadLetter() {
        Run run = dlq("list");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("4 dead letters in " + EVENTS_DLQ + " and " + PUBLISH_DLQ);
        assertThat(run.out())
                .containsPattern("publisher\\s+PUSHER_REJECTED\\s+1")
                .containsPattern("relay\\s+MISSING_TYPE\\s+1")
                .containsPattern("router\\s+RESERVED_EVENT_NAME\\s+1")
                .containsPattern("router\\s+UNKNOWN_SCHEMA_ID\\s+1")
                .containsPattern("router\\s+RESERVED_EVENT_NAME\\s+e-reserved\\s+" + EVENTS.replace(".", "\\.")
                        + ":0:18\\s+" + EVENTS_DLQ.replace(".", "\\.") + ":\\d:\\d")
                .contains("outbox realtime_outbox#42")
                .contains(PUBLISH + ":0:5");

        List<JsonNode> lines = dlq("list", "--json").json();
        assertThat(lines).hasSize(4);
        assertThat(lines.stream().map(l -> l.get("reason").asString()))
                .containsExactlyInAnyOrder(
                        "UNKNOWN_SCHEMA_ID", "RESERVED_EVENT_NAME", "MISSING_TYPE", "PUSHER_REJECTED");
        JsonNode reserved = lines.stream()
                .filter(l -> l.get("reason").asString().equals("RESERVED_EVENT_NAME"))
                .findFirst()
                .orElseThrow();
        assertThat(reserved.get("stage").asString()).isEqualTo("router");
        assertThat(reserved.get("event_id").asString()).isEqualTo("e-reserved");
        assertThat(reserved.get("original_topic").asString()).isEqualTo(EVENTS);
        assertThat(reserved.get("original_partition").asLong()).isZero();
        assertThat(reserved.get("original_offset").asLong()).isEqualTo(18);
    }

    @Test
    void listSelectsByTopicReasonAndWindow() {
        assertThat(dlq("list", "--json", "--topic=publish").json())
                .singleElement()
                .satisfies(l -> assertThat(l.get("event_id").asString()).isEqualTo("e-pub"));
        assertThat(dlq("list", "--json", "--reason=UNKNOWN_SCHEMA_ID,MISSING_TYPE")
                        .json())
                .hasSize(2);
        assertThat(dlq("list", "--json", "--since=1h").json()).hasSize(4);

        Run old = dlq("list", "--from=2020-01-01T00:00:00Z", "--to=2020-01-02T00:00:00Z");
        assertThat(old.exit()).isEqualTo(3);
        assertThat(old.out()).isEmpty();
        assertThat(old.err().strip())
                .isEqualTo("switchboard dlq list: no dead letters in " + EVENTS_DLQ + " and " + PUBLISH_DLQ
                        + " between 2020-01-01T00:00:00Z and 2020-01-02T00:00:00Z");
        Run none = dlq("list", "--json", "--reason=NO_SUCH_REASON");
        assertThat(none.exit()).isEqualTo(3);
        assertThat(none.out())
                .as("--json prints nothing for an empty selection")
                .isEmpty();
    }

    @Test
    void showDecodesEachStagesValue() {
        Map<String, JsonNode> byReason = new java.util.HashMap<>();
        dlq("list", "--json").json().forEach(l -> byReason.put(l.get("reason").asString(), l));

        JsonNode reserved = dlq(
                        "show",
                        byReason.get("RESERVED_EVENT_NAME").get("dead_letter").asString(),
                        "--json")
                .json()
                .get(0);
        assertThat(reserved.get("value_format").asString()).isEqualTo("avro");
        assertThat(reserved.get("value_type").asString()).isEqualTo("RealtimeEvent");
        assertThat(reserved.get("value").get("type").asString()).isEqualTo("pusher:subscribe");
        assertThat(reserved.get("value").get("occurred_at").asString()).isEqualTo("2026-12-03T09:00:00Z");
        assertThat(reserved.get("headers").get(KafkaHeaders.DLT_ORIGINAL_OFFSET).asString())
                .isEqualTo("18");
        assertThat(reserved.get("key").asString()).isEqualTo("agg-2");

        Run unknown =
                dlq("show", byReason.get("UNKNOWN_SCHEMA_ID").get("dead_letter").asString());
        assertThat(unknown.exit()).isZero();
        assertThat(unknown.out())
                .contains("stage        router")
                .contains("reason       UNKNOWN_SCHEMA_ID: schema id 9999 is not pinned\n")
                .contains("kafka_dlt-original-offset: 17")
                .contains("8 bytes, not decodable: UNKNOWN_SCHEMA_ID")
                .contains("base64       " + Base64.getEncoder().encodeToString(UNKNOWN_ID_BYTES));

        JsonNode relay = dlq(
                        "show", byReason.get("MISSING_TYPE").get("dead_letter").asString(), "--json")
                .json()
                .get(0);
        assertThat(relay.get("value_format").asString()).isEqualTo("json");
        assertThat(relay.get("value").get("id").asInt()).isEqualTo(42);
        assertThat(relay.get("headers").get("switchboard-outbox-table").asString())
                .isEqualTo("realtime_outbox");

        Run publisher =
                dlq("show", byReason.get("PUSHER_REJECTED").get("dead_letter").asString());
        assertThat(publisher.out())
                .contains("value        ChannelPublish (avro, schema id")
                .contains("private-audit-A")
                .contains("switchboard-pusher-message: Invalid channel");
    }

    @Test
    void redriveIsADryRunUnlessYes() {
        long events = endOffset(EVENTS);
        long publish = endOffset(PUBLISH);
        Run dry = dlq("redrive");
        assertThat(dry.exit()).as(dry.err()).isZero();
        assertThat(dry.out())
                .contains("would send " + EVENTS_DLQ)
                .contains("to " + PUBLISH + ", key agg-4")
                .contains("dry run: 3 would be redriven of 4 selected dead letters; 1 relay dead letter skipped")
                .contains("nothing was sent");
        assertThat(endOffset(EVENTS)).isEqualTo(events);
        assertThat(endOffset(PUBLISH)).isEqualTo(publish);
    }

    @Test
    void redriveYesSendsExactlyTheSelectionBackWithARedriveHeader() {
        long before = endOffset(EVENTS);
        long publishBefore = endOffset(PUBLISH);
        Run run = dlq("redrive", "--yes", "--reason=RESERVED_EVENT_NAME,MISSING_TYPE", "--rate=20/s");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("sent " + EVENTS_DLQ)
                .contains("redrove 1 of 2 selected dead letters; 1 relay dead letter skipped");

        List<ConsumerRecord<byte[], byte[]>> sent = readFrom(EVENTS, before);
        assertThat(sent).hasSize(1);
        ConsumerRecord<byte[], byte[]> record = sent.get(0);
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("agg-2");
        assertThat(record.value()).isEqualTo(reservedBytes);
        assertThat(header(record, "switchboard-redrive")).isEqualTo("1");
        assertThat(header(record, "switchboard-redrive-from")).startsWith(EVENTS_DLQ + ":");
        assertThat(Instant.parse(header(record, "switchboard-redrive-at"))).isBeforeOrEqualTo(Instant.now());
        assertThat(header(record, "traceparent")).isEqualTo("00-abc-def-01");
        assertThat(record.headers().lastHeader(DeadLetterHeaders.REASON)).isNull();
        assertThat(record.headers().lastHeader(KafkaHeaders.DLT_ORIGINAL_TOPIC)).isNull();
        assertThat(endOffset(PUBLISH)).isEqualTo(publishBefore);

        Run publisher = dlq("redrive", "--yes", "--topic=publish", "--json");
        assertThat(publisher.exit()).as(publisher.err()).isZero();
        List<JsonNode> lines = publisher.json();
        assertThat(lines.get(0).get("action").asString()).isEqualTo("sent");
        assertThat(lines.get(1).get("sent").asInt()).isEqualTo(1);
        ConsumerRecord<byte[], byte[]> again = readFrom(PUBLISH, publishBefore).get(0);
        assertThat(again.value()).isEqualTo(publishBytes);
        assertThat(header(again, "switchboard-http-status")).isNull();
    }

    @Test
    void errorsAreOneLineWithANonZeroExit() {
        Run unreachable = dlqOn("127.0.0.1:1", "list", "--timeout=3s");
        assertThat(unreachable.exit()).isEqualTo(1);
        assertThat(unreachable.err().lines()).singleElement().asString().contains("cannot reach Kafka at 127.0.0.1:1");

        // review of issue 15: an address the client refuses before it connects was told as "Failed to create new
        // KafkaAdminClient", without the reason
        for (String address : WrongAddresses.ALL) {
            for (List<String> command : List.of(
                    List.of("list"), List.of("show", "publish:0:0"), List.of("redrive"), List.of("redrive", "--yes"))) {
                Run wrong = dlqOn(
                        address,
                        command.get(0),
                        command.subList(1, command.size()).toArray(String[]::new));
                assertThat(wrong.exit()).as(address + " " + command).isEqualTo(1);
                assertThat(wrong.err().lines())
                        .as(address + " " + command)
                        .singleElement()
                        .asString()
                        .isEqualTo("switchboard dlq " + command.get(0) + ": " + WrongAddresses.line(address));
                assertThat(wrong.out()).isEmpty();
            }
        }

        Run missing = execute(
                "dlq",
                "list",
                "--bootstrap-servers=" + KAFKA,
                "--topic=events",
                "--events-dlq=it-" + RUN + ".no-such-topic");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err().lines())
                .singleElement()
                .asString()
                .contains("topic it-" + RUN + ".no-such-topic does not exist");

        Run offset = dlq("show", PUBLISH_DLQ + ":0:999");
        assertThat(offset.exit()).isEqualTo(1);
        assertThat(offset.err().lines())
                .singleElement()
                .asString()
                .contains("no dead letter at " + PUBLISH_DLQ + ":0:999: partition 0 of " + PUBLISH_DLQ
                        + " holds offsets 0 to 0");

        Run partition = dlq("show", "publish:3:0");
        assertThat(partition.exit()).isEqualTo(1);
        assertThat(partition.err()).contains("has no partition 3");

        Run window = dlq("list", "--since=1h", "--from=2026-01-01T00:00:00Z");
        assertThat(window.exit()).isEqualTo(2);
        assertThat(window.err().lines()).singleElement().asString().contains("--since cannot be combined");

        // an empty selection: exit 3 and one line, as replay's and trace's "nothing matches"
        String empty = "no dead letters in " + EVENTS_DLQ + " and " + PUBLISH_DLQ
                + " between 2020-01-01T00:00:00Z and 2020-01-02T00:00:00Z";
        for (String command : List.of("list", "redrive")) {
            Run noDeadLetters = dlq(command, "--from=2020-01-01T00:00:00Z", "--to=2020-01-02T00:00:00Z");
            assertThat(noDeadLetters.exit()).as(command).isEqualTo(3);
            assertThat(noDeadLetters.out()).as(command).isEmpty();
            assertThat(noDeadLetters.err().lines())
                    .singleElement()
                    .asString()
                    .startsWith("switchboard dlq " + command + ": " + empty);

            // a filter that matches none of them says so, apart from a window that holds none (review of issue 15)
            Run noReason = dlq(command, "--reason=NO_SUCH_REASON", "--json");
            assertThat(noReason.exit()).as(command).isEqualTo(3);
            assertThat(noReason.out()).as(command).isEmpty();
            assertThat(noReason.err().lines())
                    .singleElement()
                    .asString()
                    .isEqualTo("switchboard dlq " + command + ": none of the 4 dead letters in " + EVENTS_DLQ + " and "
                            + PUBLISH_DLQ + " at any time matches --reason NO_SUCH_REASON"
                            + (command.equals("redrive") ? ": nothing to redrive" : ""));
            Run noStage = dlq(command, "--topic=publish", "--stage=relay,router", "--event-id=e-pub");
            assertThat(noStage.exit()).as(command).isEqualTo(3);
            assertThat(noStage.err().lines())
                    .singleElement()
                    .asString()
                    .startsWith("switchboard dlq " + command + ": none of the 1 dead letter in " + PUBLISH_DLQ
                            + " at any time matches --stage relay,router --event-id e-pub");
        }
        long events = endOffset(EVENTS);
        Run redriveNothing = dlq("redrive", "--yes", "--reason=NO_SUCH_REASON");
        assertThat(redriveNothing.exit()).isEqualTo(3);
        assertThat(redriveNothing.err()).contains("nothing to redrive");
        assertThat(endOffset(EVENTS)).isEqualTo(events);
    }

    /** --rate bounds the sends: N records at R a second span at least (N - 1) / R seconds (a lower bound only). */
    @Test
    void redriveIsPacedByRate() {
        long events = endOffset(EVENTS);
        long publish = endOffset(PUBLISH);
        Run run = dlq("redrive", "--yes", "--rate=4/s");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("redrove 3 of 4 selected dead letters");

        List<Long> times = new ArrayList<>();
        readFrom(EVENTS, events).forEach(r -> times.add(r.timestamp()));
        readFrom(PUBLISH, publish).forEach(r -> times.add(r.timestamp()));
        assertThat(times).hasSize(3);
        long span = java.util.Collections.max(times) - java.util.Collections.min(times);
        assertThat(span)
                .as("3 records at 4/s: at least 500 ms from the first to the last")
                .isGreaterThanOrEqualTo(490);
    }

    /** A long read of a dead-letter topic says how far it is, its rate and what is left, on standard error. */
    @Test
    void aLongListReportsItsProgressWithRateAndEta(@TempDir Path dir) throws Exception {
        String topic = "it-" + RUN + ".long.dlq";
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        LongRead.write(KAFKA, topic, bytes("agg-2"), reservedBytes);
        Run run = execute(
                "dlq",
                "list",
                "--bootstrap-servers=" + KAFKA,
                "--topic=events",
                "--events-dlq=" + topic,
                "--reason=NO_SUCH_REASON",
                "--command-config=" + LongRead.slowFetchConfig(dir));
        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).containsPattern(LongRead.PROGRESS);
        List<String> err = run.err().lines().toList();
        assertThat(err.get(err.size() - 1))
                .isEqualTo("switchboard dlq list: none of the " + LongRead.RECORDS + " dead letters in " + topic
                        + " at any time matches --reason NO_SUCH_REASON");
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        return DeadLetterHeaders.get(record.headers(), name);
    }

    private static long endOffset(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            TopicPartition tp = new TopicPartition(topic, 0);
            return consumer.endOffsets(List.of(tp)).get(tp);
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> readFrom(String topic, long from) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            consumer.seek(tp, from);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (consumer.position(tp) < end && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer() {
        return new KafkaConsumer<>(
                Map.of("bootstrap.servers", KAFKA, "isolation.level", "read_committed"),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }
}
