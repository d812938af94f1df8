package io.switchboard.cli.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.cli.SwitchboardCommand;
import io.switchboard.kafka.DeadLetterHeaders;
import io.switchboard.schemas.RealtimeEvent;
import io.switchboard.schemas.wire.PinnedSchemaRegistry;
import io.switchboard.schemas.wire.WireFormat;
import io.switchboard.testkit.KafkaSaslTestBroker;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code --command-config} against a broker that only speaks SASL_PLAINTEXT with PLAIN (KafkaSaslTestBroker), as a
 * managed cluster does: with the cluster's security settings in the file, replay and dlq list read as they do on a
 * plain broker; without them, or with a wrong password, one line and exit 1; a file that cannot be read, exit 2. The
 * password is never printed, not even by the built jar's own logging.
 */
class CommandConfigIT {

    private static final String SASL = KafkaSaslTestBroker.bootstrapServers();
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String EVENTS = "it-" + RUN + ".sasl.realtime.events";
    private static final String EVENTS_DLQ = EVENTS + ".dlq";
    private static final String PUBLISH_DLQ = "it-" + RUN + ".sasl.realtime.publish.dlq";
    private static final String WRONG_PASSWORD = "not-the-password-" + RUN;

    @TempDir
    static Path dir;

    record Run(int exit, String out, String err) {
        String both() {
            return out + err;
        }
    }

    @BeforeAll
    static void writeAnEventAndADeadLetter() throws Exception {
        try (Admin admin = Admin.create(KafkaSaslTestBroker.clientConfig())) {
            admin.createTopics(List.of(
                            new NewTopic(EVENTS, 1, (short) 1),
                            new NewTopic(EVENTS_DLQ, 1, (short) 1),
                            new NewTopic(PUBLISH_DLQ, 1, (short) 1)))
                    .all()
                    .get();
        }
        RealtimeEvent event = RealtimeEvent.newBuilder()
                .setEventId("e-sasl")
                .setType("audit.step_completed")
                .setOccurredAt(Instant.parse("2026-12-03T09:00:00Z"))
                .setSource("it")
                .setAggregateType("audit")
                .setAggregateId("A1")
                .setPayload("{\"audit_id\":\"A1\",\"fiche_id\":\"F1\",\"step_position\":2}")
                .setHeaders(Map.of())
                .build();
        byte[] value = WireFormat.encode(
                PinnedSchemaRegistry.instance().idFor(EVENTS + "-value", RealtimeEvent.getClassSchema()), event);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                KafkaSaslTestBroker.clientConfig(), new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(EVENTS, bytes("A1"), value)).get();
            RecordHeaders headers = new RecordHeaders();
            DeadLetterHeaders.add(headers, "router", "RESERVED_EVENT_NAME", "reserved", "e-sasl-dead");
            producer.send(new ProducerRecord<>(EVENTS_DLQ, null, bytes("A1"), value, headers))
                    .get();
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A client properties file, as an operator writes one for kafka-console-consumer. */
    private static Path config(String name, Map<String, String> properties) throws IOException {
        StringBuilder text = new StringBuilder();
        properties.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        return Files.writeString(dir.resolve(name + ".properties"), text);
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

    private static Run replay(String... args) {
        List<String> all = new ArrayList<>(List.of("replay", "--bootstrap-servers=" + SASL, "--topic=" + EVENTS));
        all.addAll(List.of(args));
        return execute(all.toArray(String[]::new));
    }

    private static Run dlqList(String... args) {
        List<String> all = new ArrayList<>(List.of(
                "dlq",
                "list",
                "--bootstrap-servers=" + SASL,
                "--events-dlq=" + EVENTS_DLQ,
                "--publish-dlq=" + PUBLISH_DLQ));
        all.addAll(List.of(args));
        return execute(all.toArray(String[]::new));
    }

    @Test
    void withTheClustersSecuritySettingsReplayAndDlqListRead() throws IOException {
        Path good =
                config("good", KafkaSaslTestBroker.saslConfig(KafkaSaslTestBroker.USER, KafkaSaslTestBroker.PASSWORD));

        Run replay = replay("--command-config=" + good);
        assertThat(replay.exit()).as(replay.err()).isZero();
        assertThat(replay.out())
                .contains("audit.step_completed  e-sasl  key=A1  -> private-audit-A1 private-fiche-F1 (rule audits)")
                .contains("dry run: 1 event selected in " + EVENTS);

        Run list = dlqList("--command-config=" + good);
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out())
                .startsWith("1 dead letter in " + EVENTS_DLQ + " and " + PUBLISH_DLQ)
                .contains("e-sasl-dead");

        assertThat(replay.both() + list.both()).doesNotContain(KafkaSaslTestBroker.PASSWORD);
    }

    @Test
    void withoutThemTheBrokerCannotBeReachedInOneLine() {
        Run replay = replay("--timeout=3s");
        assertThat(replay.exit()).isEqualTo(1);
        assertThat(replay.err().lines())
                .singleElement()
                .asString()
                .isEqualTo("switchboard replay: cannot reach Kafka at " + SASL + " within 3s (set"
                        + " KAFKA_BOOTSTRAP_SERVERS or --bootstrap-servers; --command-config for SASL/TLS)");
    }

    @Test
    void aWrongPasswordIsOneLineAndNeverPrinted() throws Exception {
        Path wrong = config("wrong", KafkaSaslTestBroker.saslConfig(KafkaSaslTestBroker.USER, WRONG_PASSWORD));
        for (Run run : List.of(
                replay("--command-config=" + wrong, "--timeout=5s"),
                dlqList("--command-config=" + wrong, "--timeout=5s"))) {
            assertThat(run.exit()).isEqualTo(1);
            assertThat(run.err().lines())
                    .singleElement()
                    .asString()
                    .contains("Kafka at " + SASL)
                    .contains("Authentication failed");
            assertThat(run.both()).doesNotContain(WRONG_PASSWORD).doesNotContain(KafkaSaslTestBroker.PASSWORD);
        }

        // the built jar, with its own logging (Kafka's client logs its errors on standard error)
        Process process = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-jar",
                        execJar(),
                        "dlq",
                        "list",
                        "--bootstrap-servers=" + SASL,
                        "--events-dlq=" + EVENTS_DLQ,
                        "--publish-dlq=" + PUBLISH_DLQ,
                        "--command-config=" + wrong,
                        "--timeout=5s")
                .redirectOutput(dir.resolve("jar.out").toFile())
                .redirectError(dir.resolve("jar.err").toFile())
                .start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = Files.readString(dir.resolve("jar.out"));
        String err = Files.readString(dir.resolve("jar.err"));
        System.out.println("$ java -jar cli-exec.jar dlq list ... --command-config=wrong.properties\n" + out + err
                + "[exit " + process.exitValue() + "]");
        assertThat(process.exitValue()).isEqualTo(1);
        assertThat(out + err).doesNotContain(WRONG_PASSWORD).doesNotContain(KafkaSaslTestBroker.PASSWORD);
        assertThat(err.lines()).singleElement().asString().startsWith("switchboard dlq list: Kafka at " + SASL);
    }

    @Test
    void aFileThatCannotBeReadIsAUsageError() {
        Path missing = dir.resolve("no-such.properties");
        Run run = replay("--command-config=" + missing);
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err().lines())
                .singleElement()
                .asString()
                .isEqualTo("switchboard replay: cannot read --command-config " + missing + ": no such file");
    }

    /** The command line as operators run it: the jar that {@code mvn package} built before the ITs run. */
    private static String execJar() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(f -> f.getFileName().toString().matches("cli-.*-exec\\.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no cli exec jar in target/: run mvn verify"))
                    .toString();
        }
    }
}
