package io.switchboard.cli.replay;

import io.switchboard.cli.SwitchboardCommand;
import io.switchboard.schemas.ChannelPublish;
import io.switchboard.schemas.RealtimeEvent;
import io.switchboard.schemas.wire.PinnedSchemaRegistry;
import io.switchboard.schemas.wire.WireFormat;
import io.switchboard.testkit.KafkaTestBroker;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What the replay and tail ITs share: the broker, topics, events in the seeds' shapes, and running the CLI. */
final class ReplayFixtures {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String KAFKA = KafkaTestBroker.bootstrapServers();

    private ReplayFixtures() {}

    record Run(int exit, String out, String err) {
        List<JsonNode> json() {
            return out.lines().map(JSON::readTree).toList();
        }
    }

    static void createTopics(int partitions, String... names) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA))) {
            List<NewTopic> topics = new ArrayList<>();
            for (String name : names) {
                topics.add(new NewTopic(name, partitions, (short) 1));
            }
            admin.createTopics(topics).all().get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A RealtimeEvent as the outbox relay writes it; {@code payload} is the seeds' JSON object as text. */
    static RealtimeEvent event(String id, String type, String aggregateId, String payload) {
        return RealtimeEvent.newBuilder()
                .setEventId(id)
                .setType(type)
                .setOccurredAt(Instant.parse("2026-12-03T09:00:00Z"))
                .setSource("it")
                .setAggregateType(type.substring(0, type.indexOf('.') > 0 ? type.indexOf('.') : type.length()))
                .setAggregateId(aggregateId)
                .setPayload(payload)
                .setHeaders(Map.of("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"))
                .build();
    }

    static byte[] encode(String topic, RealtimeEvent event) {
        return WireFormat.encode(
                PinnedSchemaRegistry.instance().idFor(topic + "-value", RealtimeEvent.getClassSchema()), event);
    }

    static byte[] encode(String topic, ChannelPublish publish) {
        return WireFormat.encode(
                PinnedSchemaRegistry.instance().idFor(topic + "-value", ChannelPublish.getClassSchema()), publish);
    }

    /** Writes at an explicit partition and record timestamp, with a traceparent header as the relay writes it. */
    static void write(String topic, int partition, Instant time, String key, byte[] value) {
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            RecordHeaders headers = new RecordHeaders();
            headers.add("traceparent", bytes("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
            producer.send(new ProducerRecord<>(
                            topic, partition, time == null ? null : time.toEpochMilli(), bytes(key), value, headers))
                    .get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA),
                new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    static String header(ConsumerRecord<?, ?> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : text(header.value());
    }

    /** Runs {@code switchboard ARGS}; {@code setUp} may reach the subcommand's instance before it runs. */
    static Run execute(Consumer<CommandLine> setUp, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new SwitchboardCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        setUp.accept(cli);
        int exit = cli.execute(args);
        // the report's output shows what an operator sees (docs/runbook-replay.md quotes it)
        System.out.println("$ switchboard " + String.join(" ", args) + "\n" + out + err + "[exit " + exit + "]");
        return new Run(exit, out.toString(), err.toString());
    }

    static Run execute(String... args) {
        return execute(cli -> {}, args);
    }

    /** The command line as operators run it: the jar that {@code mvn package} built before the ITs run. */
    static String execJar() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(f -> f.getFileName().toString().matches("cli-.*-exec\\.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no cli exec jar in target/: run mvn verify"))
                    .toString();
        }
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static long endOffset(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            return consumer.endOffsets(partitions).values().stream()
                    .mapToLong(Long::longValue)
                    .sum();
        }
    }

    /** Every record of partition 0 of {@code topic}. */
    static List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            consumer.seekToBeginning(List.of(tp));
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
