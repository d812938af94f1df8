package io.switchboard.testkit.pipeline;

import static org.awaitility.Awaitility.await;

import io.switchboard.schemas.RealtimeEvent;
import io.switchboard.schemas.wire.AvroSerializer;
import io.switchboard.schemas.wire.SchemaRegistry;
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
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The whole pipeline as separate OS processes, for the fault matrix and its ITs: a Kafka broker (scripts/kafka.sh),
 * outbox-relay, router-service and publisher-service from their exec jars (and a second router, started on demand),
 * with Postgres, Redis (REDIS_URL: shared dedupe and progress guard), a Confluent-compatible schema registry stand-in
 * (SCHEMA_REGISTRY_URL) and the Pusher stand-in, which checks signatures and limits like Pusher, records every
 * accepted (event, channel) and fails on demand. A {@link #phase} writes outbox rows at a steady rate, injects one
 * fault, waits for every pair and counts.
 */
public final class Pipeline implements AutoCloseable {

    /** What to do some seconds into a phase; it may take its time (it runs on its own thread). */
    public interface Fault {
        void inject() throws Exception;
    }

    /** What one phase saw. */
    public record PhaseResult(String fault, int rows, SinkLedger.Counts counts, Map<String, Integer> deadLetters) {

        public int deadLettered() {
            return deadLetters.values().stream().mapToInt(Integer::intValue).sum();
        }

        public static String header() {
            return String.format(
                    "| %-20s | %6s | %8s | %8s | %4s | %4s | %5s | %8s | %s |",
                    "fault",
                    "rows",
                    "pairs",
                    "once",
                    "lost",
                    "dup",
                    "order",
                    "silence",
                    "dead letters (stage reason: n)");
        }

        /**
         * A duplicate is within the promise only when a publisher was killed with it in flight or unrecorded: Pusher
         * accepted it from the killed process, and again from its replacement. Any other repeat fails.
         */
        public boolean duplicatesOnlyFromACrash() {
            return counts.duplicated() == counts.duplicatesAcrossACrash();
        }

        @Override
        public String toString() {
            return String.format(
                    "| %-20s | %6d | %8d | %8d | %4d | %4d | %5d | %7.1fs | %s |",
                    fault,
                    rows,
                    counts.expected(),
                    counts.deliveredOnce(),
                    counts.lost(),
                    counts.duplicated(),
                    counts.outOfOrder(),
                    counts.longestSilenceSeconds(),
                    (deadLetters.isEmpty() ? "-" : deadLetters.toString())
                            + (counts.duplicated() > 0
                                    ? String.format(
                                            "; %d duplicates across the publisher's kill, the oldest accepted %.2f s"
                                                    + " before it",
                                            counts.duplicatesAcrossACrash(), counts.oldestDuplicateBeforeCrashSeconds())
                                    : ""));
        }
    }

    private static final String APP_ID = "fault-matrix";
    private static final String KEY = "fault-key";
    private static final String SECRET = "fault-secret";
    private static final String TABLE = "switchboard_fault_outbox";
    private static final String ROUTER_GROUP = "switchboard-router";

    private final Path root;
    private final Path work;
    private final String database;
    private final KafkaBroker broker;
    private final PusherStandIn sink;
    private final SchemaRegistryStandIn registry;
    private final SinkLedger ledger;
    private final OutboxFeed feed;
    private final Map<String, ServiceProcess> services = new LinkedHashMap<>();
    private DeadLetterReader deadLetters;

    private final Map<String, String> consumerEnv;
    private boolean classDataSharing;
    private int relays = 1;
    private int routers = 1;
    private int publishers = 1;
    private int partitions;
    private final Map<String, Map<String, String>> envOfRole = new LinkedHashMap<>();

    /**
     * How many instances of each service start: the relays take turns on the outbox lock (one active), the routers
     * and the publishers share their topics' partitions in their consumer groups; and how many partitions the
     * services create their topics with (0: the services' default). Before start().
     */
    public Pipeline instances(int relays, int routers, int publishers, int partitions) {
        if (relays < 1 || routers < 1 || publishers < 1 || partitions < 0) {
            throw new IllegalArgumentException("at least one instance of each service, and partitions >= 0");
        }
        this.relays = relays;
        this.routers = routers;
        this.publishers = publishers;
        this.partitions = partitions;
        return this;
    }

    private Map<String, String> pusherTarget;

    /**
     * The publishers deliver to this Pusher-protocol server (Soketi, say) instead of the stand-in, whose sink then
     * records nothing. Before start().
     */
    public Pipeline pusher(String host, int port, String appId, String key, String secret) {
        this.pusherTarget = Map.of(
                "PUSHER_APP_ID", appId,
                "PUSHER_KEY", key,
                "PUSHER_SECRET", secret,
                "PUSHER_HOST", host,
                "PUSHER_PORT", Integer.toString(port),
                "PUSHER_SCHEME", "http");
        return this;
    }

    private boolean gcLogs;

    /**
     * Each service writes its GC log ({@code -Xlog:gc}) to {@code <work>/<name>-gc.log}: the heap after every
     * collection and every pause, for the soak harness. Before start().
     */
    public Pipeline gcLogs(boolean on) {
        this.gcLogs = on;
        return this;
    }

    /** Starts the services from class data sharing archives (ServiceProcess.withClassDataSharing); before start(). */
    public Pipeline classDataSharing(boolean on) {
        this.classDataSharing = on;
        return this;
    }

    public Pipeline(Path root, Path work, String database) throws IOException {
        this(root, work, database, Map.of());
    }

    /**
     * @param consumerEnv environment variables for the router and the publisher on top of the defaults, to compare
     *     settings (for example {@code SWITCHBOARD_INSTANCE_ID=none}, {@code SWITCHBOARD_KAFKA_SESSION_TIMEOUT=45s})
     */
    public Pipeline(Path root, Path work, String database, Map<String, String> consumerEnv) throws IOException {
        this.consumerEnv = Map.copyOf(consumerEnv);
        this.root = root;
        this.work = work;
        this.database = database;
        Files.createDirectories(work);
        this.broker = new KafkaBroker(root, work.resolve("kafka"), freePortPair());
        this.sink = new PusherStandIn(APP_ID, KEY, SECRET);
        this.registry = SchemaRegistryStandIn.start();
        this.ledger = new SinkLedger(sink);
        this.feed = new OutboxFeed(database, TABLE);
    }

    public Path work() {
        return work;
    }

    public PusherStandIn sink() {
        return sink;
    }

    public SchemaRegistryStandIn registry() {
        return registry;
    }

    public KafkaBroker broker() {
        return broker;
    }

    public ServiceProcess service(String name) {
        return services.get(name);
    }

    /**
     * Starts the broker and the relay, the router and the publisher (as many of each as {@link #instances} says:
     * {@code relay}, {@code relay-2}, ...), and waits until they are healthy.
     */
    public void start() throws Exception {
        broker.start();
        Map<String, String> common = new LinkedHashMap<>();
        common.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrap());
        common.put("REDIS_URL", "redis://127.0.0.1:6379");
        common.put("SCHEMA_REGISTRY_URL", registry.url());
        if (partitions > 0) {
            common.put("SWITCHBOARD_TOPICS_PARTITIONS", Integer.toString(partitions));
        }
        Map<String, String> relay = new LinkedHashMap<>(common);
        relay.put("DATABASE_URL", database);
        relay.put("SWITCHBOARD_OUTBOX_TABLE", TABLE);
        Map<String, String> consumers = new LinkedHashMap<>(common);
        consumers.putAll(consumerEnv);
        Map<String, String> publisher = new LinkedHashMap<>(consumers);
        publisher.put("PUSHER_APP_ID", APP_ID);
        publisher.put("PUSHER_KEY", KEY);
        publisher.put("PUSHER_SECRET", SECRET);
        publisher.put("PUSHER_HOST", "127.0.0.1");
        publisher.put("PUSHER_PORT", Integer.toString(sink.port()));
        publisher.put("PUSHER_SCHEME", "http");
        if (pusherTarget != null) {
            publisher.putAll(pusherTarget);
        }
        envOfRole.put("relay", relay);
        envOfRole.put("router", consumers);
        envOfRole.put("publisher", publisher);
        List<String> starting = new ArrayList<>();
        for (int i = 0; i < relays; i++) {
            starting.add(addInstance("relay").name());
        }
        for (int i = 0; i < routers; i++) {
            starting.add(addInstance("router").name());
        }
        for (int i = 0; i < publishers; i++) {
            starting.add(addInstance("publisher").name());
        }
        if (routers == 1) {
            addInstance("router"); // router-2, for a takeover, started on demand
        }
        for (String name : starting) {
            services.get(name).start();
        }
        for (String name : starting) {
            services.get(name).awaitHealthy(Duration.ofMinutes(3));
        }
        deadLetters = new DeadLetterReader(broker.bootstrap(), "realtime.events.dlq", "realtime.publish.dlq");
    }

    /**
     * One more instance of {@code role} (relay, router or publisher), named {@code role} for the first and
     * {@code role-N} after, configured as the others; not started. After start().
     */
    public synchronized ServiceProcess addInstance(String role) throws IOException {
        Map<String, String> env = envOfRole.get(role);
        if (env == null) {
            throw new IllegalArgumentException("no role " + role + " (relay, router, publisher), or not started");
        }
        int n = instances(role).size() + 1;
        String name = n == 1 ? role : role + "-" + n;
        String module = switch (role) {
            case "relay" -> "outbox-relay";
            case "router" -> "router-service";
            default -> "publisher-service";
        };
        String portVariable = switch (role) {
            case "relay" -> "RELAY_PORT";
            case "router" -> "ROUTER_PORT";
            default -> "PUBLISHER_PORT";
        };
        int port = freePort();
        Map<String, String> own = new LinkedHashMap<>(env);
        own.put(portVariable, Integer.toString(port));
        List<String> jvm =
                gcLogs ? List.of("-Xlog:gc:file=" + work.resolve(name + "-gc.log") + ":uptimemillis") : List.of();
        ServiceProcess service = new ServiceProcess(name, ServiceProcess.jar(root, module), own, port, work, jvm);
        try {
            service = classDataSharing ? service.withClassDataSharing() : service;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while training " + name + "'s class data sharing archive", e);
        }
        services.put(name, service);
        return service;
    }

    /** The instances of a role that were added, started or not: {@code router}, {@code router-2}, ... */
    public synchronized List<ServiceProcess> instances(String role) {
        return services.values().stream()
                .filter(s -> s.name().equals(role) || s.name().matches(Pattern.quote(role) + "-\\d+"))
                .toList();
    }

    /**
     * Writes {@code rate} rows a second over 50 aggregates for {@code seconds}, injects {@code fault} after
     * {@code faultAt} seconds, waits until every (event, channel) pair is delivered (at most {@code drain}), and
     * counts.
     */
    public PhaseResult phase(String name, Fault fault, int rate, int seconds, int faultAt, Duration drain)
            throws Exception {
        return phase(name, () -> {}, fault, rate, seconds, faultAt, drain);
    }

    /** As above, with {@code prepare} run before the phase's first row. */
    public PhaseResult phase(
            String name, Fault prepare, Fault fault, int rate, int seconds, int faultAt, Duration drain)
            throws Exception {
        return phase(name, prepare, fault, rate, seconds, faultAt, drain, 50, 1);
    }

    /**
     * As above, over {@code aggregates} aggregates written by {@code writers} connections at once (each aggregate
     * by one of them, in order).
     */
    public PhaseResult phase(
            String name,
            Fault prepare,
            Fault fault,
            int rate,
            int seconds,
            int faultAt,
            Duration drain,
            int aggregates,
            int writers)
            throws Exception {
        prepare.inject();
        String prefix = name + "-" + UUID.randomUUID().toString().substring(0, 6);
        long startMillis = System.currentTimeMillis();
        long startNanos = System.nanoTime();
        Exception[] failure = new Exception[1];
        Thread injector = new Thread(
                () -> {
                    try {
                        Thread.sleep(faultAt * 1000L);
                        fault.inject();
                    } catch (Exception e) {
                        failure[0] = e;
                    }
                },
                "fault-" + name);
        injector.start();
        List<OutboxFeed.Row> rows = feed.write(prefix, aggregates, rate, Duration.ofSeconds(seconds), writers);
        injector.join();
        if (failure[0] != null) {
            throw new IllegalStateException("fault " + name + " could not be injected", failure[0]);
        }
        Set<String> expected = SinkLedger.expectedPairs(rows);
        try {
            await().atMost(drain)
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> ledger.deliveredOf(expected) == expected.size());
        } catch (ConditionTimeoutException e) {
            // what never arrived is counted as lost below
        }
        // late duplicates, if any, arrive now: the pipeline stays as it is for 3 s before the count
        await().pollDelay(Duration.ofSeconds(3)).until(() -> true);
        // a publisher killed in the phase: what Pusher accepted from it and it had not recorded may repeat once,
        // from its own restart or from the instance that took its partitions over
        long crash = -1;
        long replaced = -1;
        for (ServiceProcess publisher : instances("publisher")) {
            if (publisher.killedNanos() >= startNanos && (crash < 0 || publisher.killedNanos() < crash)) {
                crash = publisher.killedNanos();
                replaced = Math.max(publisher.killedNanos(), publisher.startedNanos());
            }
        }
        return new PhaseResult(
                name,
                rows.size(),
                ledger.count(expected, prefix, startNanos, crash, replaced),
                deadLetters.since(startMillis));
    }

    /** Writes outbox rows at a steady rate, nothing else (see {@link OutboxFeed#write}): the rows committed. */
    public List<OutboxFeed.Row> write(String prefix, int aggregates, int rate, Duration duration, int writers)
            throws InterruptedException {
        return feed.write(prefix, aggregates, rate, duration, writers);
    }

    /** The sink's record of what Pusher accepted. */
    public SinkLedger ledger() {
        return ledger;
    }

    /**
     * {@code count} events of the feed's shape over {@code aggregates}, produced straight onto realtime.events as
     * the relay would write them (Avro through the registry, keyed by aggregate), as fast as the broker takes them:
     * a burst that keeps the routers and the publishers saturated, to measure how fast they drain, not the relay.
     */
    public List<OutboxFeed.Row> produceBurst(String prefix, int aggregates, int count) {
        AvroSerializer<RealtimeEvent> avro = new AvroSerializer<>(SchemaRegistry.forUrl(registry.url()));
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrap(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class,
                ProducerConfig.LINGER_MS_CONFIG,
                5,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true);
        List<OutboxFeed.Row> rows = new ArrayList<>();
        int[] next = new int[aggregates];
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config)) {
            for (int i = 0; i < count; i++) {
                int a = i % aggregates;
                OutboxFeed.Row row = new OutboxFeed.Row(
                        prefix + "-" + a, next[a]++, UUID.randomUUID().toString());
                RealtimeEvent event = RealtimeEvent.newBuilder()
                        .setEventId(row.eventId())
                        .setType(OutboxFeed.typeOf(row))
                        .setOccurredAt(Instant.now())
                        .setSource("scale-out")
                        .setAggregateType("audit")
                        .setAggregateId(row.aggregate())
                        .setPayload(OutboxFeed.payloadOf(row))
                        .setChannels(null)
                        .setSocketId(null)
                        .setHeaders(Map.of())
                        .build();
                producer.send(new ProducerRecord<>(
                        "realtime.events", row.aggregate(), avro.serialize("realtime.events", event)));
                rows.add(row);
            }
            producer.flush();
        }
        return rows;
    }

    // --- faults ----------------------------------------------------------------------------------------------

    /** kill -9, then the same instance starts again at once. */
    public void restartKilled(String name) throws Exception {
        ServiceProcess service = services.get(name);
        service.kill9();
        service.start();
        service.awaitHealthy(Duration.ofMinutes(3));
    }

    /** Before a takeover: a second router joins the group. */
    public void startSecondRouter() throws Exception {
        ServiceProcess second = services.containsKey("router-2") ? services.get("router-2") : addInstance("router");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()))) {
            int alone = await("the router group is stable")
                    .atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> routerGroupMembers(admin), members -> members > 0);
            second.start();
            second.awaitHealthy(Duration.ofMinutes(3));
            // the group has settled once it is stable with the second router's consumers in it
            await("the router group settles with both routers")
                    .atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> routerGroupMembers(admin) == 2 * alone);
        }
    }

    /** The router group's members once it is stable, or -1 while it rebalances. */
    private static int routerGroupMembers(Admin admin) throws Exception {
        ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(ROUTER_GROUP))
                .all()
                .get(10, TimeUnit.SECONDS)
                .get(ROUTER_GROUP);
        return group.groupState() == GroupState.STABLE ? group.members().size() : -1;
    }

    /** The first router is killed and stays down for {@code down}, so the second takes its partitions; then back. */
    public void routerTakeover(Duration down) throws Exception {
        ServiceProcess first = services.get("router");
        first.kill9();
        Thread.sleep(down.toMillis());
        first.start();
        first.awaitHealthy(Duration.ofMinutes(3));
        services.get("router-2").stop();
    }

    public void brokerRestart() throws Exception {
        broker.stop();
        broker.start();
    }

    public void redisRestart() throws Exception {
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

    public void postgresRestart() throws Exception {
        String version;
        try (var versions = Files.list(Path.of("/etc/postgresql"))) {
            version = versions.map(p -> p.getFileName().toString()).findFirst().orElse("15");
        }
        command("pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart");
    }

    /** Pusher answers 503 for 30 s, then 429 with Retry-After: 1 for 10 s. */
    public void pusherDownThen429() throws Exception {
        sink.failFor(Duration.ofSeconds(30), new PusherStandIn.Fault(503, "{\"error\":\"down\"}", null));
        Thread.sleep(30_000);
        sink.failFor(Duration.ofSeconds(10), new PusherStandIn.Fault(429, "{\"error\":\"slow down\"}", "1"));
    }

    /** Bad records arrive while both dead-letter topics refuse every write, for {@code refusing}. */
    public void deadLetterTopicsUnwritable(Duration refusing) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()))) {
            maxMessageBytes(admin, "64");
            badKafkaRecords(10);
            Thread.sleep(refusing.toMillis());
            maxMessageBytes(admin, null);
        }
    }

    /** The registry goes down, the router and the publisher restart with cold caches; it is back after {@code down}. */
    public void registryDown(Duration down) throws Exception {
        registry.down(true);
        for (String name : List.of("router", "publisher")) {
            services.get(name).kill9();
            services.get(name).start();
        }
        Thread.sleep(down.toMillis());
        registry.down(false);
        services.get("router").awaitHealthy(Duration.ofMinutes(3));
        services.get("publisher").awaitHealthy(Duration.ofMinutes(3));
    }

    /** Bad rows of every relay and router reason, one each (12), plus {@code each} malformed records per topic. */
    public void badInput(int each) throws Exception {
        badKafkaRecords(each);
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
    public void badKafkaRecords(int each) {
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
                Arrays.copyOf(good, 12),
                new byte[] {0, 0, 0, 0x7f, 0x7f, 1, 2, 3});
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config)) {
            for (String topic : List.of("realtime.events", "realtime.publish")) {
                for (int i = 0; i < each; i++) {
                    producer.send(new ProducerRecord<>(topic, "bad-" + i, shapes.get(i % shapes.size())));
                }
            }
            producer.flush();
        }
    }

    private void maxMessageBytes(Admin admin, String value) throws Exception {
        Map<ConfigResource, Collection<AlterConfigOp>> ops = new LinkedHashMap<>();
        for (String topic : List.of("realtime.events.dlq", "realtime.publish.dlq")) {
            ops.put(
                    new ConfigResource(ConfigResource.Type.TOPIC, topic),
                    List.of(new AlterConfigOp(
                            new ConfigEntry("max.message.bytes", value == null ? "" : value),
                            value == null ? AlterConfigOp.OpType.DELETE : AlterConfigOp.OpType.SET)));
        }
        admin.incrementalAlterConfigs(ops).all().get();
    }

    private static void command(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output.strip());
        }
    }

    @Override
    public void close() {
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
            // already down
        }
        sink.close();
        registry.close();
        feed.close();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A free port whose next port is free too (the broker's controller). */
    static int freePortPair() throws IOException {
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
