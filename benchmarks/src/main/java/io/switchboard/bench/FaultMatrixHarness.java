package io.switchboard.bench;

import io.switchboard.bench.harness.DeadLetterReader;
import io.switchboard.bench.harness.KafkaBroker;
import io.switchboard.bench.harness.OutboxFeed;
import io.switchboard.bench.harness.ServiceProcess;
import io.switchboard.bench.harness.SinkLedger;
import io.switchboard.schemas.RealtimeEvent;
import io.switchboard.schemas.wire.AvroSerializer;
import io.switchboard.schemas.wire.SchemaRegistry;
import io.switchboard.testkit.ProjectRoot;
import io.switchboard.testkit.PusherStandIn;
import io.switchboard.testkit.SchemaRegistryStandIn;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The fault matrix (docs/reliability.md): the whole pipeline as separate OS processes — a Kafka broker
 * (scripts/kafka.sh), outbox-relay, router-service and publisher-service from their exec jars, with Postgres,
 * Redis (REDIS_URL: shared dedupe and progress guard), a Confluent-compatible schema registry stand-in
 * (SCHEMA_REGISTRY_URL) and the Pusher stand-in of testkit, which checks signatures and limits like Pusher, records
 * every accepted (event, channel) and fails on demand. A writer commits outbox rows at a steady rate, one commit per
 * row, each carrying its sequence number within its aggregate.
 *
 * <p>For each fault a phase writes {@code -Drate} rows/s (default 200) over 50 aggregates for {@code -Dseconds}
 * (default 30), injects the fault {@code -DfaultAt} seconds in (default 8), then waits until every pair is delivered
 * (at most 3 minutes) and prints: rows, (event, channel) pairs expected, delivered once, lost, duplicated, out of
 * order per channel, dead letters by stage and reason, and the longest silence at the sink. Arguments name the
 * faults to run (default: all).
 */
public final class FaultMatrixHarness {

    private static final String APP_ID = "fault-matrix";
    private static final String KEY = "fault-key";
    private static final String SECRET = "fault-secret";
    private static final String TABLE = "switchboard_fault_outbox";
    private static final String DATABASE =
            System.getProperty("databaseUrl", "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres");

    private final Path root = ProjectRoot.path();
    private final Path work;
    private final int rate = Integer.getInteger("rate", 200);
    private final int seconds = Integer.getInteger("seconds", 30);
    private final int faultAt = Integer.getInteger("faultAt", 8);
    private final KafkaBroker broker;
    private final PusherStandIn sink;
    private final SchemaRegistryStandIn registry;
    private final SinkLedger ledger;
    private final OutboxFeed feed = new OutboxFeed(DATABASE, TABLE);
    private final Map<String, ServiceProcess> services = new LinkedHashMap<>();
    private final List<String> results = new ArrayList<>();
    private DeadLetterReader deadLetters;

    private FaultMatrixHarness() throws IOException {
        work = root.resolve("benchmarks/target/faults-" + Instant.now().toEpochMilli());
        Files.createDirectories(work);
        broker = new KafkaBroker(root, work.resolve("kafka"), freePortPair());
        sink = new PusherStandIn(APP_ID, KEY, SECRET);
        registry = SchemaRegistryStandIn.start();
        ledger = new SinkLedger(sink);
    }

    /** A fault: what to do {@code faultAt} seconds into the phase (it may take its time: it runs on its own thread). */
    private interface Fault {
        void inject() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        FaultMatrixHarness harness = new FaultMatrixHarness();
        try {
            harness.run(args.length == 0 ? List.of() : List.of(args));
        } finally {
            harness.shutdown();
        }
        System.exit(0);
    }

    private void run(List<String> only) throws Exception {
        start();
        Map<String, Fault> faults = new LinkedHashMap<>();
        faults.put("none", () -> {});
        faults.put("kill-relay", () -> restartKilled("relay"));
        faults.put("kill-router", () -> restartKilled("router"));
        faults.put("kill-publisher", () -> restartKilled("publisher"));
        faults.put("router-takeover", this::routerTakeover);
        faults.put("broker-restart", () -> {
            broker.stop();
            broker.start();
        });
        faults.put("redis-restart", this::restartRedis);
        faults.put(
                "postgres-restart",
                () -> command("pg_ctlcluster", "--skip-systemctl-redirect", postgresVersion(), "main", "restart"));
        faults.put("pusher-down-then-429", () -> {
            sink.failFor(Duration.ofSeconds(30), new PusherStandIn.Fault(503, "{\"error\":\"down\"}", null));
            Thread.sleep(30_000);
            sink.failFor(Duration.ofSeconds(10), new PusherStandIn.Fault(429, "{\"error\":\"slow down\"}", "1"));
        });
        faults.put("dlq-unwritable", this::deadLetterTopicsUnwritable);
        faults.put("registry-down", this::registryDown);
        faults.put("bad-input", this::badInput);
        System.out.printf(
                "%-22s %6s %8s %8s %5s %5s %5s %9s  %s%n",
                "fault", "rows", "pairs", "once", "lost", "dup", "order", "silence", "dead letters (stage reason: n)");
        for (Map.Entry<String, Fault> fault : faults.entrySet()) {
            if (only.isEmpty() || only.contains(fault.getKey())) {
                phase(fault.getKey(), fault.getValue());
            }
        }
        Path table = work.resolve("results.txt");
        Files.write(table, results, StandardCharsets.UTF_8);
        System.out.println("results in " + table);
    }

    private void start() throws Exception {
        broker.start();
        Map<String, String> common = new LinkedHashMap<>();
        common.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrap());
        common.put("REDIS_URL", "redis://127.0.0.1:6379");
        common.put("SCHEMA_REGISTRY_URL", registry.url());
        Map<String, String> relay = new LinkedHashMap<>(common);
        relay.put("DATABASE_URL", DATABASE);
        relay.put("SWITCHBOARD_OUTBOX_TABLE", TABLE);
        relay.put("RELAY_PORT", Integer.toString(freePort()));
        Map<String, String> router = new LinkedHashMap<>(common);
        router.put("ROUTER_PORT", Integer.toString(freePort()));
        Map<String, String> publisher = new LinkedHashMap<>(common);
        publisher.put("PUBLISHER_PORT", Integer.toString(freePort()));
        publisher.put("PUSHER_APP_ID", APP_ID);
        publisher.put("PUSHER_KEY", KEY);
        publisher.put("PUSHER_SECRET", SECRET);
        publisher.put("PUSHER_HOST", "127.0.0.1");
        publisher.put("PUSHER_PORT", Integer.toString(sink.port()));
        publisher.put("PUSHER_SCHEME", "http");
        add("relay", "outbox-relay", relay);
        add("router", "router-service", router);
        add("publisher", "publisher-service", publisher);
        Map<String, String> second = new LinkedHashMap<>(router);
        second.put("ROUTER_PORT", Integer.toString(freePort()));
        services.put(
                "router-2",
                new ServiceProcess(
                        "router-2",
                        ServiceProcess.jar(root, "router-service"),
                        second,
                        Integer.parseInt(second.get("ROUTER_PORT")),
                        work,
                        List.of()));
        for (String name : List.of("relay", "router", "publisher")) {
            services.get(name).start();
        }
        for (String name : List.of("relay", "router", "publisher")) {
            services.get(name).awaitHealthy(Duration.ofMinutes(2));
        }
        deadLetters = new DeadLetterReader(broker.bootstrap(), "realtime.events.dlq", "realtime.publish.dlq");
        System.out.println("pipeline up: broker " + broker.bootstrap() + ", logs in " + work);
    }

    private void add(String name, String module, Map<String, String> env) throws IOException {
        int port = Integer.parseInt(env.getOrDefault(
                "RELAY_PORT", env.getOrDefault("ROUTER_PORT", env.getOrDefault("PUBLISHER_PORT", "0"))));
        services.put(name, new ServiceProcess(name, ServiceProcess.jar(root, module), env, port, work, List.of()));
    }

    private void phase(String name, Fault fault) throws Exception {
        String prefix = name + "-" + UUID.randomUUID().toString().substring(0, 6);
        long startMillis = System.currentTimeMillis();
        long startNanos = System.nanoTime();
        Thread injector = new Thread(
                () -> {
                    try {
                        Thread.sleep(faultAt * 1000L);
                        System.out.printf("  [%s] injecting at %.1f s%n", name, (System.nanoTime() - startNanos) / 1e9);
                        fault.inject();
                        System.out.printf("  [%s] injected by %.1f s%n", name, (System.nanoTime() - startNanos) / 1e9);
                    } catch (Exception e) {
                        System.out.println("  [" + name + "] fault failed: " + e);
                    }
                },
                "fault-" + name);
        injector.start();
        List<OutboxFeed.Row> rows = feed.write(prefix, 50, rate, Duration.ofSeconds(seconds));
        injector.join();
        Set<String> expected = SinkLedger.expectedPairs(rows);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (ledger.deliveredOf(expected) < expected.size() && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
        Thread.sleep(3000); // late duplicates, if any, arrive now
        SinkLedger.Counts c = ledger.count(expected, prefix, startNanos);
        Map<String, Integer> dead = deadLetters.since(startMillis);
        String line = String.format(
                "%-22s %6d %8d %8d %5d %5d %5d %8.1fs  %s",
                name,
                rows.size(),
                c.expected(),
                c.deliveredOnce(),
                c.lost(),
                c.duplicated(),
                c.outOfOrder(),
                c.longestSilenceSeconds(),
                dead.isEmpty() ? "-" : dead.toString());
        System.out.println(line);
        results.add(line);
    }

    // --- the faults ------------------------------------------------------------------------------------------

    private void restartKilled(String name) throws Exception {
        ServiceProcess service = services.get(name);
        service.kill9();
        service.start();
        service.awaitHealthy(Duration.ofMinutes(2));
    }

    /** Another router runs; the first is killed and does not come back: the second must take its partitions. */
    private void routerTakeover() throws Exception {
        ServiceProcess first = services.get("router");
        ServiceProcess second = services.get("router-2");
        second.start();
        second.awaitHealthy(Duration.ofMinutes(2));
        Thread.sleep(3000); // let the group settle with two members
        first.kill9();
        Thread.sleep(20_000);
        first.start(); // back for the next phases; the second stops
        first.awaitHealthy(Duration.ofMinutes(2));
        second.stop();
    }

    private void restartRedis() throws Exception {
        command("redis-cli", "-p", "6379", "shutdown", "nosave");
        Thread.sleep(2000);
        command(
                "redis-server",
                "--daemonize",
                "yes",
                "--bind",
                "127.0.0.1",
                "-::1",
                "--port",
                "6379",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                "/var/lib/redis",
                "--logfile",
                "/var/log/redis/ci.log");
    }

    /** Bad records arrive while both dead-letter topics refuse every write, for 20 s. */
    private void deadLetterTopicsUnwritable() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()))) {
            setMaxMessageBytes(admin, "64");
            badKafkaRecords(10);
            Thread.sleep(20_000);
            setMaxMessageBytes(admin, null);
        }
    }

    private void setMaxMessageBytes(Admin admin, String value) throws Exception {
        Map<ConfigResource, java.util.Collection<AlterConfigOp>> ops = new LinkedHashMap<>();
        for (String topic : List.of("realtime.events.dlq", "realtime.publish.dlq")) {
            ops.put(
                    new ConfigResource(ConfigResource.Type.TOPIC, topic),
                    List.of(new AlterConfigOp(
                            new ConfigEntry("max.message.bytes", value == null ? "" : value),
                            value == null ? AlterConfigOp.OpType.DELETE : AlterConfigOp.OpType.SET)));
        }
        admin.incrementalAlterConfigs(ops).all().get();
    }

    /** The registry goes down and the router and publisher restart with cold caches; it is back after 15 s. */
    private void registryDown() throws Exception {
        registry.down(true);
        services.get("router").kill9();
        services.get("publisher").kill9();
        services.get("router").start();
        services.get("publisher").start();
        Thread.sleep(15_000);
        registry.down(false);
        services.get("router").awaitHealthy(Duration.ofMinutes(2));
        services.get("publisher").awaitHealthy(Duration.ofMinutes(2));
    }

    /** 30 malformed Kafka records and 12 bad outbox rows mixed into the good traffic. */
    private void badInput() throws Exception {
        badKafkaRecords(15);
        String big = "x".repeat(1_500_000);
        String[][] rows = {
            {"", "{\"audit_id\":\"a\"}", null, null},
            {"   ", "{\"audit_id\":\"a\"}", null, null},
            {"t".repeat(300), "{\"audit_id\":\"a\"}", null, null},
            {"audit.progress", "[1,2,3]", null, null},
            {"audit.progress", "\"text\"", null, null},
            {"audit.progress", "{\"audit_id\":\"a\"}", "{\"not\":\"an array\"}", null},
            {"audit.progress", "{\"audit_id\":\"a\"}", "[1,2]", null},
            {"audit.progress", "{\"audit_id\":\"a\"}", null, "[\"not a map\"]"},
            {"audit.progress", "{\"audit_id\":\"a\",\"blob\":\"" + big + "\"}", null, null},
            {"audit.progress", "{\"audit_id\":\"a.private-org.1\"}", null, null},
            {"pusher:subscribe", "{\"audit_id\":\"a\"}", null, null},
            {"audit.progress", "{\"audit_id\":{\"id\":1}}", null, null}
        };
        for (String[] row : rows) {
            feed.insertRaw(row[0], "bad-" + UUID.randomUUID(), row[1], row[2], row[3]);
        }
    }

    /** {@code each} undecodable records into realtime.events and as many into realtime.publish. */
    private void badKafkaRecords(int each) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        byte[] good = new AvroSerializer<RealtimeEvent>(SchemaRegistry.forUrl(registry.url()))
                .serialize(
                        "realtime.events",
                        RealtimeEvent.newBuilder()
                                .setEventId("x")
                                .setType("audit.progress")
                                .setOccurredAt(Instant.now())
                                .setSource("fault-matrix")
                                .setAggregateType(null)
                                .setAggregateId(null)
                                .setPayload("{}")
                                .setChannels(null)
                                .setSocketId(null)
                                .setHeaders(Map.of())
                                .build());
        List<byte[]> shapes = List.of(
                "{\"type\":\"audit.started\"}".getBytes(StandardCharsets.UTF_8),
                new byte[0],
                new byte[] {0, 0, 0},
                java.util.Arrays.copyOf(good, 12),
                new byte[] {0, 0, 0, 0x7f, 0x7f, 1, 2, 3});
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config)) {
            for (String topic : List.of("realtime.events", "realtime.publish")) {
                for (int i = 0; i < each; i++) {
                    producer.send(new ProducerRecord<>(topic, "bad-" + i, shapes.get(i % shapes.size())));
                }
            }
            producer.flush();
        }
    }

    // --- plumbing --------------------------------------------------------------------------------------------

    private static void command(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
            System.out.println("  " + String.join(" ", command) + " failed: " + output.strip());
        }
    }

    private static String postgresVersion() throws IOException {
        try (var versions = Files.list(Path.of("/etc/postgresql"))) {
            return versions.map(p -> p.getFileName().toString()).findFirst().orElse("15");
        }
    }

    private void shutdown() {
        for (ServiceProcess service : services.values()) {
            try {
                service.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (deadLetters != null) {
            deadLetters.close();
        }
        try {
            broker.stop();
        } catch (Exception e) {
            System.out.println("stopping the broker: " + e);
        }
        sink.close();
        registry.close();
        feed.close();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A free port whose next port is free too (the broker's controller). */
    private static int freePortPair() throws IOException {
        for (int i = 0; i < 20; i++) {
            int port = freePort();
            try (ServerSocket next = new ServerSocket(port + 1)) {
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IllegalStateException("no two consecutive free ports");
    }
}
