package io.switchboard.bench;

import com.pusher.rest.Pusher;
import com.pusher.rest.PusherAsync;
import com.pusher.rest.data.Event;
import com.pusher.rest.data.Result;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.publisher.PublisherApplication;
import io.switchboard.schemas.ChannelPublish;
import io.switchboard.schemas.wire.AvroSerializer;
import io.switchboard.testkit.KafkaTestBroker;
import io.switchboard.testkit.PusherStandIn;
import io.switchboard.testkit.Soketi;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;

/**
 * publisher-service's throughput, in one run, beside three references (issue 4's targets):
 *
 * <ol>
 *   <li>Soketi's own ingest ceiling: the same Soketi driven directly with {@code batch_events}, 10 events per
 *       request, 32 requests in flight (the publisher should reach at least 80% of it);
 *   <li>the naive baseline: one synchronous trigger per event, as the source systems publish (the publisher should
 *       be at least 5 times faster);
 *   <li>publisher-service consuming N seed-shaped ChannelPublish records from Kafka and delivering them to Soketi;
 *   <li>publisher-service against PusherStandIn answering every request 20 ms late, a real network round trip (at
 *       least 5,000 events/s).
 * </ol>
 *
 * Events are single-channel, spread over 1,000 keys (aggregates). Usage: {@code benchmarks/run.sh publisher-load [N]
 * [publisher arguments]} (default 50,000; the naive baseline sends min(N, 3,000); arguments after N go to
 * publisher-service, e.g. {@code --switchboard.publisher.max-in-flight=64}). With {@code -DpublisherOnly=true} it
 * runs the publisher phase alone three times, for a profiler.
 */
public final class PublisherLoadHarness {

    private static final String DATA =
            "{\"audit_id\":\"audit-1787121-1-1765755984607\",\"fiche_id\":\"1787121\",\"completed_steps\":3,"
                    + "\"total_steps\":5,\"failed_steps\":0,\"current_phase\":\"analysis\"}";

    /** Further publisher-service arguments, after N on the command line (for experiments). */
    private static List<String> EXTRA = List.of();

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        EXTRA = args.length > 1 ? List.of(args).subList(1, args.length) : List.of();
        int naiveN = Math.min(n, 3_000);
        Soketi.ensureRunning();
        String kafka = KafkaTestBroker.bootstrapServers();

        if (Boolean.getBoolean("publisherOnly")) { // for profiling: the publisher phase alone, three times
            for (int i = 0; i < 3; i++) {
                publisher(kafka, n, Soketi.publisherArgs(), "soketi (profile run)");
            }
            System.exit(0);
        }
        // warm-up, not reported: JIT, connections and Soketi's own warm-up would otherwise favour whatever runs last
        soketiCeiling(n);
        publisher(kafka, n, Soketi.publisherArgs(), "soketi (warm-up)");

        double ceiling = soketiCeiling(n);
        double naive = naive(naiveN);
        double publisher = publisher(kafka, n, Soketi.publisherArgs(), "soketi");
        double ceiling2 = soketiCeiling(n);
        double standIn;
        try (PusherStandIn pusher = new PusherStandIn("bench", "bench-key", "bench-secret-0123456789abcdef0123")) {
            pusher.latency(Duration.ofMillis(20));
            standIn = publisher(kafka, n, pusher.publisherArgs(), "stand-in (20 ms)");
            if (pusher.delivered().size() < n || pusher.refusedSignatures() > 0) {
                throw new IllegalStateException("the stand-in did not get every event, or refused a signature");
            }
        }
        double soketi = (ceiling + ceiling2) / 2;
        System.out.printf(
                "%nRESULT publisher→Soketi %.0f events/s; Soketi ceiling %.0f events/s (runs %.0f and %.0f): %.0f%% (target ≥ 80%%)%n",
                publisher, soketi, ceiling, ceiling2, 100 * publisher / soketi);
        System.out.printf(
                "RESULT publisher→Soketi vs naive one-trigger-per-event %.0f events/s: %.1f× (target ≥ 5×)%n",
                naive, publisher / naive);
        System.out.printf(
                "RESULT publisher→stand-in with 20 ms per request: %.0f events/s (target ≥ 5,000)%n", standIn);
        System.exit(0);
    }

    private static PusherAsync soketiClient() {
        PusherAsync pusher = new PusherAsync(Soketi.APP_ID, Soketi.KEY, Soketi.SECRET);
        pusher.setHost("127.0.0.1:" + Soketi.port());
        pusher.setEncrypted(false);
        pusher.setDataMarshaller(data -> (String) data);
        return pusher;
    }

    /** Soketi driven directly: batch_events of 10, 32 in flight. */
    private static double soketiCeiling(int n) throws Exception {
        try (PusherAsync pusher = soketiClient()) {
            Semaphore inFlight = new Semaphore(32);
            AtomicInteger failures = new AtomicInteger();
            List<CompletableFuture<Result>> calls = new ArrayList<>();
            markCpu();
            long start = System.nanoTime();
            for (int i = 0; i < n; i += 10) {
                List<Event> batch = new ArrayList<>(10);
                for (int j = i; j < Math.min(n, i + 10); j++) {
                    batch.add(new Event("bench-" + (j % 1000), "audit.progress", DATA));
                }
                inFlight.acquire();
                calls.add(pusher.trigger(batch).whenComplete((result, error) -> {
                    inFlight.release();
                    if (error != null
                            || result.getHttpStatus() == null
                            || result.getHttpStatus() != 200
                            || result.getMessage().contains("\"error\"")) {
                        failures.incrementAndGet();
                    }
                }));
            }
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
            double rate = report("soketi ceiling", n, System.nanoTime() - start);
            if (failures.get() > 0) {
                throw new IllegalStateException(failures.get() + " direct batch requests failed");
            }
            return rate;
        }
    }

    /** The source systems' way: one synchronous trigger per event. */
    private static double naive(int n) {
        Pusher pusher = new Pusher(Soketi.APP_ID, Soketi.KEY, Soketi.SECRET);
        pusher.setHost("127.0.0.1:" + Soketi.port());
        pusher.setEncrypted(false);
        pusher.setDataMarshaller(data -> (String) data);
        markCpu();
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            Result result = pusher.trigger("bench-" + (i % 1000), "audit.progress", DATA);
            if (result.getHttpStatus() == null || result.getHttpStatus() != 200) {
                throw new IllegalStateException("naive trigger failed: " + result.getMessage());
            }
        }
        return report("naive sync", n, System.nanoTime() - start);
    }

    /** Loads n records into a fresh topic, then times publisher-service delivering all of them. */
    private static double publisher(String kafka, int n, List<String> target, String label) throws Exception {
        String topic = "bench-publish-" + UUID.randomUUID().toString().substring(0, 8);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
        }
        try (KafkaProducer<String, ChannelPublish> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka, ProducerConfig.LINGER_MS_CONFIG, 5),
                new StringSerializer(),
                new AvroSerializer<>())) {
            for (int i = 0; i < n; i++) {
                String key = "audit-" + (i % 1000);
                producer.send(new ProducerRecord<>(
                        topic,
                        key,
                        ChannelPublish.newBuilder()
                                .setEventId(topic + "-" + i)
                                .setName("audit.progress")
                                .setChannels(List.of("bench-" + key))
                                .setData(DATA)
                                .setOccurredAt(Instant.now())
                                .setRoutedAt(Instant.now())
                                .setTruncated(false)
                                .setOriginalBytes(DATA.length())
                                .build()));
            }
            producer.flush();
        }
        List<String> args = new ArrayList<>(List.of(
                "--spring.kafka.bootstrap-servers=" + kafka,
                "--server.port=0",
                "--spring.kafka.listener.auto-startup=false",
                "--spring.kafka.consumer.group-id=" + topic,
                "--switchboard.publisher.input-topic=" + topic,
                "--switchboard.publisher.dead-letter-topic=" + topic + ".dlq",
                "--logging.level.root=WARN"));
        args.addAll(target);
        args.addAll(EXTRA);
        try (ConfigurableApplicationContext context =
                PublisherApplication.builder().run(args.toArray(String[]::new))) {
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            markCpu();
            long start = System.nanoTime();
            context.getBean(KafkaListenerEndpointRegistry.class)
                    .getListenerContainer("publisher")
                    .start();
            while (meters.counter("switchboard.publisher.published").count() < n) {
                LockSupport.parkNanos(2_000_000);
                if (System.nanoTime() - start > Duration.ofMinutes(5).toNanos()) {
                    throw new IllegalStateException("publisher did not deliver " + n + " events in 5 minutes");
                }
            }
            return report("publisher → " + label, n, System.nanoTime() - start);
        }
    }

    private static double report(String what, int n, long nanos) {
        double rate = n / (nanos / 1e9);
        long[] now = cpu();
        double wall = (now[0] - cpuMark[0]) / 1e9 * CORES;
        System.out.printf(
                "%-28s %,d events in %.2f s: %,.0f events/s   [CPU: this JVM %.0f%%, Soketi %.0f%%, machine idle %.0f%% of %d cores]%n",
                what,
                n,
                nanos / 1e9,
                rate,
                100 * (now[1] - cpuMark[1]) / 1e9 / wall,
                100 * (now[2] - cpuMark[2]) / 1e9 / wall,
                100 * (now[3] - cpuMark[3]) / 1e9 / wall,
                CORES);
        return rate;
    }

    private static final int CORES = Runtime.getRuntime().availableProcessors();
    private static long[] cpuMark = cpu();

    /** Starts a CPU accounting period (reported by the next {@link #report}). */
    private static void markCpu() {
        cpuMark = cpu();
    }

    /**
     * Wall time, this JVM's CPU time, Soketi's CPU time and the machine's idle time, in nanoseconds, from /proc
     * (Linux); zeros where unreadable. Reported beside each figure: the machine has 2 cores, and Soketi, the broker
     * and the publisher share them.
     */
    private static long[] cpu() {
        long wall = System.nanoTime();
        long self = ((com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        long soketi = 0;
        long idle = 0;
        try {
            String pid = java.nio.file.Files.readString(
                            io.switchboard.testkit.ProjectRoot.path().resolve(".switchboard/soketi/pid"))
                    .trim();
            String[] stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"))
                    .replaceAll("^.*\\) ", "")
                    .split(" ");
            soketi = (Long.parseLong(stat[11]) + Long.parseLong(stat[12])) * 10_000_000L; // clock ticks of 10 ms
            String[] all = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/stat"))
                    .get(0)
                    .trim()
                    .split("\\s+");
            idle = (Long.parseLong(all[4]) + Long.parseLong(all[5])) * 10_000_000L;
        } catch (Exception unreadable) {
            // not Linux, or Soketi not started by scripts/soketi.sh: report zeros
        }
        return new long[] {wall, self, soketi, idle};
    }
}
