package io.switchboard.cli.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.cli.SwitchboardCommand;
import io.switchboard.kafka.DeadLetterHeaders;
import io.switchboard.schemas.RealtimeEvent;
import io.switchboard.schemas.wire.SchemaRegistry;
import io.switchboard.schemas.wire.WireFormat;
import io.switchboard.testkit.KafkaTestBroker;
import io.switchboard.testkit.SchemaRegistryStandIn;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The connection settings the commands share with the services (review of issue 15, which found them never
 * exercised): records written with ids that a schema registry assigned (the stand-in's, from 101) decode with
 * {@code --schema-registry-url} and only with it; the built jar takes {@code KAFKA_BOOTSTRAP_SERVERS} and
 * {@code SCHEMA_REGISTRY_URL} from its environment, as the services do, and an environment variable it cannot use is
 * one line naming it.
 */
class ConnectionEnvironmentIT {

    private static final String KAFKA = KafkaTestBroker.bootstrapServers();
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String EVENTS = "it-" + RUN + ".registry.realtime.events";
    /** Not EVENTS + ".dlq": trace would find the event there by its header, without decoding it. */
    private static final String EVENTS_DLQ = "it-" + RUN + ".registry.dead-letters";

    private static final String EVENT_ID = "e-registry-" + RUN;

    private static SchemaRegistryStandIn registry;
    private static int schemaId;

    @TempDir
    static Path dir;

    record Run(int exit, String out, String err) {}

    @BeforeAll
    static void writeWithRegistryIds() throws Exception {
        registry = SchemaRegistryStandIn.start();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA))) {
            admin.createTopics(List.of(new NewTopic(EVENTS, 1, (short) 1), new NewTopic(EVENTS_DLQ, 1, (short) 1)))
                    .all()
                    .get();
        }
        RealtimeEvent event = RealtimeEvent.newBuilder()
                .setEventId(EVENT_ID)
                .setType("audit.step_completed")
                .setOccurredAt(Instant.now())
                .setSource("it")
                .setAggregateType("audit")
                .setAggregateId("A1")
                .setPayload("{\"audit_id\":\"A1\",\"fiche_id\":\"F1\",\"step_position\":2}")
                .setHeaders(Map.of())
                .build();
        // as the relay writes with SCHEMA_REGISTRY_URL set: the id is the registry's, not one pinned in this build
        schemaId = SchemaRegistry.forUrl(registry.url()).idFor(EVENTS + "-value", RealtimeEvent.getClassSchema());
        byte[] value = WireFormat.encode(schemaId, event);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(EVENTS, bytes("A1"), value)).get();
            RecordHeaders headers = new RecordHeaders();
            DeadLetterHeaders.add(headers, "router", "RESERVED_EVENT_NAME", "reserved", EVENT_ID);
            producer.send(new ProducerRecord<>(EVENTS_DLQ, null, bytes("A1"), value, headers))
                    .get();
        }
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static Run execute(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new SwitchboardCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        System.out.println("$ switchboard " + String.join(" ", args) + "\n" + out + err + "[exit " + exit + "]");
        return new Run(exit, out.toString(), err.toString());
    }

    private static Run with(String registryUrl, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--bootstrap-servers=" + KAFKA);
        if (registryUrl != null) {
            all.add("--schema-registry-url=" + registryUrl);
        }
        return execute(all.toArray(String[]::new));
    }

    private static String unknownId() {
        return "UNKNOWN_SCHEMA_ID: schema id " + schemaId + " is not pinned in this build (written with another schema"
                + " registry? set SCHEMA_REGISTRY_URL or --schema-registry-url)";
    }

    @Test
    void recordsWrittenWithARegistrysIdsDecodeWithThatRegistryAndOnlyWithIt() {
        assertThat(schemaId)
                .as("the stand-in's ids start at 101, apart from the pinned ones")
                .isGreaterThan(100);

        Run replay = with(registry.url(), "replay", "--topic=" + EVENTS);
        assertThat(replay.exit()).as(replay.err()).isZero();
        assertThat(replay.out())
                .contains("audit.step_completed  " + EVENT_ID + "  key=A1  -> private-audit-A1 private-fiche-F1")
                .contains("dry run: 1 event selected in " + EVENTS);
        Run without = with(null, "replay", "--topic=" + EVENTS);
        assertThat(without.exit()).isEqualTo(1);
        assertThat(without.err().lines())
                .singleElement()
                .asString()
                .isEqualTo("switchboard replay: cannot decode " + EVENTS + ":0:0: " + unknownId());

        Run show = with(registry.url(), "dlq", "show", EVENTS_DLQ + ":0:0", "--events-dlq=" + EVENTS_DLQ);
        assertThat(show.exit()).as(show.err()).isZero();
        assertThat(show.out()).contains("value        RealtimeEvent (avro, schema id " + schemaId + ", ");
        Run showWithout = with(null, "dlq", "show", EVENTS_DLQ + ":0:0", "--events-dlq=" + EVENTS_DLQ);
        assertThat(showWithout.exit()).isZero();
        assertThat(showWithout.out()).contains("not decodable: UNKNOWN_SCHEMA_ID: schema id " + schemaId);

        List<String> trace = List.of(
                "trace",
                "--events-topic=" + EVENTS,
                "--publish-topic=it-" + RUN + ".none.publish",
                "--ledger-topic=it-" + RUN + ".none.ledger",
                "--since=1h",
                "--event-id=" + EVENT_ID);
        Run traced = with(registry.url(), trace.toArray(String[]::new));
        assertThat(traced.exit()).as(traced.err()).isZero();
        assertThat(traced.out()).contains("event " + EVENT_ID + "  audit.step_completed  aggregate A1");
        Run tracedWithout = with(null, trace.toArray(String[]::new));
        assertThat(tracedWithout.exit()).isEqualTo(1);
        assertThat(tracedWithout.err().lines())
                .singleElement()
                .asString()
                .startsWith("switchboard trace: no event matches --event-id " + EVENT_ID)
                .contains("could not be decoded (first " + EVENTS + ":0:0: " + unknownId() + ")");
    }

    /** No --bootstrap-servers, no --schema-registry-url: the built jar reads both from its environment. */
    @Test
    void theBuiltJarTakesKafkaAndTheRegistryFromItsEnvironment() throws Exception {
        Map<String, String> environment = new HashMap<>();
        environment.put("KAFKA_BOOTSTRAP_SERVERS", KAFKA);
        environment.put("SCHEMA_REGISTRY_URL", registry.url());
        CliJar.Run replay = CliJar.run(dir, environment, "replay", "--topic=" + EVENTS);
        assertThat(replay.exit()).as(replay.err()).isZero();
        assertThat(replay.out())
                .contains("audit.step_completed  " + EVENT_ID + "  key=A1  -> private-audit-A1 private-fiche-F1")
                .contains("dry run: 1 event selected in " + EVENTS);
        assertThat(replay.err()).isEmpty();

        environment.remove("SCHEMA_REGISTRY_URL");
        CliJar.Run without = CliJar.run(dir, environment, "replay", "--topic=" + EVENTS);
        assertThat(without.exit()).isEqualTo(1);
        assertThat(without.err().lines())
                .singleElement()
                .asString()
                .isEqualTo("switchboard replay: cannot decode " + EVENTS + ":0:0: " + unknownId());
    }

    /**
     * Environment variables the commands cannot use: one line that names the variable, exit 2. A bad
     * PUSHER_MAX_PAYLOAD_BYTES was a stack trace of every command, even those that never route (it was read when the
     * command line was built); a registry URL that does not parse was a stack trace with its password.
     */
    @Test
    void anEnvironmentVariableTheCommandsCannotUseIsOneLineThatNamesIt() throws Exception {
        CliJar.Run payload = CliJar.run(
                dir,
                Map.of("KAFKA_BOOTSTRAP_SERVERS", KAFKA, "PUSHER_MAX_PAYLOAD_BYTES", "lots"),
                "replay",
                "--topic=" + EVENTS);
        assertThat(payload.exit()).isEqualTo(2);
        assertThat(payload.err().lines())
                .singleElement()
                .asString()
                .isEqualTo("switchboard replay: PUSHER_MAX_PAYLOAD_BYTES must be a whole number of bytes (e.g. 9000);"
                        + " was lots");
        assertThat(payload.out()).isEmpty();
        CliJar.Run list = CliJar.run(
                dir,
                Map.of("KAFKA_BOOTSTRAP_SERVERS", KAFKA, "PUSHER_MAX_PAYLOAD_BYTES", "lots"),
                "dlq",
                "list",
                "--topic=events",
                "--events-dlq=" + EVENTS_DLQ);
        assertThat(list.exit())
                .as("dlq list never routes: the setting is not its business")
                .isZero();
        assertThat(list.out()).startsWith("1 dead letter in " + EVENTS_DLQ);

        CliJar.Run url = CliJar.run(
                dir,
                Map.of("KAFKA_BOOTSTRAP_SERVERS", KAFKA, "SCHEMA_REGISTRY_URL", "http://reader:s3cret@[bad"),
                "replay",
                "--topic=" + EVENTS);
        assertThat(url.exit()).isEqualTo(2);
        assertThat(url.err().lines())
                .singleElement()
                .asString()
                .isEqualTo("switchboard replay: --schema-registry-url (or SCHEMA_REGISTRY_URL) must be http://HOST:PORT"
                        + " or https://HOST:PORT, with an optional path, e.g. http://registry:8081; was"
                        + " http://***@[bad (Expected closing bracket for IPv6 address)");
        assertThat(url.out() + url.err()).doesNotContain("s3cret");
    }
}
