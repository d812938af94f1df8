package io.switchboard.bench;

import io.switchboard.schemas.ChannelPublish;
import io.switchboard.schemas.DeliveryReceipt;
import io.switchboard.schemas.RealtimeEvent;
import io.switchboard.schemas.wire.AvroDeserializer;
import io.switchboard.schemas.wire.SchemaRegistry;
import io.switchboard.testkit.ChannelAuthStandIn;
import io.switchboard.testkit.ProjectRoot;
import io.switchboard.testkit.PusherJsSubscriber;
import io.switchboard.testkit.Soketi;
import io.switchboard.testkit.pipeline.OutboxFeed;
import io.switchboard.testkit.pipeline.Pipeline;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import tools.jackson.databind.JsonNode;

/**
 * Commit to browser (issue 17, docs/benchmarks.md): the pipeline as processes publishing to Soketi, one pusher-js
 * client subscribed to every channel the rows reach, one commit per row over {@code -Daggregates} (50) aggregates.
 * Three phases, in this order:
 *
 * <ul>
 *   <li>{@code cold}: from the moment every service reports healthy (they have just started), {@code -Drate} (1,000)
 *       rows a second for 30 s; latencies also per 5 s since healthy.
 *   <li>{@code warm-1000}: then 60 s more at the same rate.
 *   <li>{@code warm-100}: then 60 s at a tenth of it.
 * </ul>
 *
 * With {@code -DcompareWarmUp=true} (the default) a first pipeline runs the cold phase with the services' warm-up
 * off ({@code SWITCHBOARD_WARMUP_ENABLED=false}: they consume and report ready at once), the baseline of the same
 * run; then a fresh pipeline with it on runs the three phases. Each phase is awaited before the next. Last, in each
 * pipeline ({@code -Ddeploy=false} skips it), a rolling deploy under the cold phase's rate for {@code
 * -DdeploySeconds} (60): a new router started, awaited until it reports healthy, the old one stopped; then the same
 * for the publisher; latencies per 5 s since the phase began, with when each instance was ready and stopped.
 *
 * <p>Each prints p50, p95, p99 and max from the commit's return to pusher-js's receipt, lost and duplicated pairs, and
 * where the time went: the commit to the relay's send (realtime.events' record time), to the router's routing
 * (ChannelPublish.routed_at), to Pusher's acceptance (the ledger's PUBLISHED receipt), to the browser. Every clock
 * is this machine's.
 */
public final class LatencyHarness {

    private record Phase(String name, int rate, int seconds, String prefix) {}

    /** The times of one event's stages, epoch millis. */
    private static final class Stages {
        long relayed;
        long routed;
        long accepted;
    }

    private LatencyHarness() {}

    public static void main(String[] args) throws Exception {
        int rate = Integer.getInteger("rate", 1000);
        int aggregates = Integer.getInteger("aggregates", 50);
        boolean compare = Boolean.parseBoolean(System.getProperty("compareWarmUp", "true"));
        Path work = Report.runDirectory("latency");
        Soketi.ensureRunning();
        List<String> report = new ArrayList<>();
        report.add("rate " + rate + " rows/s asked, " + aggregates + " aggregates, one commit per row");
        report.add("");
        report.add(
                "| services | phase | rows/s asked (written) | commit → browser, ms | lost | dup | commit → relay sent"
                        + " | → routed | → Pusher accepted | → browser (p50 / p99 ms) |");
        report.add("|---|---|---|---|---|---|---|---|---|---|");
        if (compare) {
            // the baseline of the same run: the services consume and report ready at once, without warming up
            report.addAll(run(work, "warm-up off", Map.of("SWITCHBOARD_WARMUP_ENABLED", "false"), rate, aggregates, 1));
        }
        report.addAll(run(work, "warm-up on", Map.of(), rate, aggregates, 3));
        report.forEach(System.out::println);
        Report.save(work, report);
        System.exit(0);
    }

    /**
     * One pipeline, fresh (its own broker and processes): the cold phase from the moment every service reports
     * healthy, then (phases 3) the warm phases. Each phase is awaited before the next: a backlog left by one must not
     * be measured in the next.
     */
    private static List<String> run(
            Path work, String label, Map<String, String> env, int rate, int aggregates, int phaseCount)
            throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 6);
        List<Phase> phases = List.of(
                        new Phase("cold", rate, Integer.getInteger("coldSeconds", 30), "cold-" + run),
                        new Phase("warm-" + rate, rate, Integer.getInteger("seconds", 60), "warm-" + run),
                        new Phase("warm-" + rate / 10, rate / 10, Integer.getInteger("seconds", 60), "slow-" + run))
                .subList(0, phaseCount);
        boolean deploy = Boolean.parseBoolean(System.getProperty("deploy", "true"));
        Phase rolling = new Phase("deploy", rate, Integer.getInteger("deploySeconds", 60), "deploy-" + run);
        List<String> channels = new ArrayList<>();
        for (Phase phase : deploy ? concat(phases, rolling) : phases) {
            for (int a = 0; a < aggregates; a++) {
                channels.add("private-audit-" + phase.prefix() + "-" + a);
                channels.add("private-fiche-" + phase.prefix() + "-" + a + "-f");
            }
        }
        List<String> lines = new ArrayList<>();
        try (ChannelAuthStandIn auth = ChannelAuthStandIn.forSoketi(null);
                PusherJsSubscriber browser = PusherJsSubscriber.start(auth.url(), channels)
                        .awaitSubscribed(channels, Duration.ofMinutes(2));
                Pipeline pipeline = new Pipeline(
                                ProjectRoot.path(),
                                work.resolve(label.replace(' ', '-')),
                                System.getProperty(
                                        "databaseUrl", "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres"),
                                env)
                        .pusher("127.0.0.1", Soketi.port(), Soketi.APP_ID, Soketi.KEY, Soketi.SECRET)) {
            pipeline.start();
            long healthy = System.currentTimeMillis();
            System.out.println(label + ": pipeline healthy; " + channels.size() + " channels subscribed");
            Map<String, List<OutboxFeed.Row>> written = new LinkedHashMap<>();
            long expected = 0;
            for (Phase phase : phases) {
                List<OutboxFeed.Row> rows = pipeline.write(
                        phase.prefix(), aggregates, phase.rate(), Duration.ofSeconds(phase.seconds()), 1);
                written.put(phase.name(), rows);
                expected += rows.size() * 2L;
                long all = expected;
                try {
                    Awaitility.await(phase.name() + ": every pair reaches the browser")
                            .atMost(Duration.ofMinutes(2))
                            .pollInterval(Duration.ofMillis(500))
                            .until(() -> browser.events().size() >= all);
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    // what never arrived is counted as lost
                }
                System.out.println(label + ": " + phase.name() + " written and delivered");
            }
            List<String> marks = new ArrayList<>();
            long deployStart = System.currentTimeMillis();
            if (deploy) {
                java.util.concurrent.CompletableFuture<List<OutboxFeed.Row>> writing =
                        java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                            try {
                                return pipeline.write(
                                        rolling.prefix(),
                                        aggregates,
                                        rolling.rate(),
                                        Duration.ofSeconds(rolling.seconds()),
                                        1);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                throw new IllegalStateException(e);
                            }
                        });
                for (String role : List.of("router", "publisher")) {
                    Thread.sleep(rolling.seconds() * 1000L / 6);
                    marks.add(replace(pipeline, role, deployStart));
                }
                List<OutboxFeed.Row> rows = writing.get();
                written.put(rolling.name(), rows);
                long all = expected + rows.size() * 2L;
                try {
                    Awaitility.await("deploy: every pair reaches the browser")
                            .atMost(Duration.ofMinutes(2))
                            .pollInterval(Duration.ofMillis(500))
                            .until(() -> browser.events().size() >= all);
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    // what never arrived is counted as lost
                }
                System.out.println(label + ": deploy written and delivered; " + marks);
            }
            Map<String, Stages> stages = stages(pipeline);
            Map<String, Long> receivedAt = new HashMap<>();
            Map<String, Integer> times = new HashMap<>();
            for (PusherJsSubscriber.Message m : browser.events()) {
                JsonNode data = m.data();
                String pair = data.path("audit_id").asString() + "#"
                        + data.path("seq").asInt() + "#" + m.channel();
                receivedAt.putIfAbsent(pair, m.raw().path("at").asLong());
                times.merge(pair, 1, Integer::sum);
            }
            for (Phase phase : deploy ? concat(phases, rolling) : phases) {
                lines.add("| " + label + " " + row(phase, written.get(phase.name()), receivedAt, times, stages));
                if (phase == rolling) {
                    lines.add("| " + label + " | deploy: " + String.join("; ", marks) + " | | | | | | | | |");
                    buckets("deploy, since it began", written.get("deploy"), receivedAt, deployStart)
                            .forEach(b -> lines.add("| " + label + " " + b));
                }
                if (phase.name().equals("cold")) {
                    buckets("cold, after healthy", written.get("cold"), receivedAt, healthy)
                            .forEach(b -> lines.add("| " + label + " " + b));
                }
            }
        }
        return lines;
    }

    private static List<Phase> concat(List<Phase> phases, Phase last) {
        List<Phase> all = new ArrayList<>(phases);
        all.add(last);
        return all;
    }

    /**
     * A rolling deploy of one instance: a new one started and awaited until it reports healthy (ready), then the
     * old one stopped (SIGTERM: it leaves its group and commits). Says when, in seconds since the phase began.
     */
    private static String replace(Pipeline pipeline, String role, long since) throws Exception {
        List<io.switchboard.testkit.pipeline.ServiceProcess> running = pipeline.instances(role);
        io.switchboard.testkit.pipeline.ServiceProcess old = running.get(running.size() - 1);
        io.switchboard.testkit.pipeline.ServiceProcess fresh = pipeline.addInstance(role);
        double started = (System.currentTimeMillis() - since) / 1000.0;
        fresh.start();
        fresh.awaitHealthy(Duration.ofMinutes(2));
        double ready = (System.currentTimeMillis() - since) / 1000.0;
        old.stop();
        double stopped = (System.currentTimeMillis() - since) / 1000.0;
        return String.format(
                "%s started at %.1f s, ready at %.1f s, %s stopped at %.1f s",
                fresh.name(), started, ready, old.name(), stopped);
    }

    private static String row(
            Phase phase,
            List<OutboxFeed.Row> rows,
            Map<String, Long> receivedAt,
            Map<String, Integer> times,
            Map<String, Stages> stages) {
        List<Long> total = new ArrayList<>();
        List<Long> relay = new ArrayList<>();
        List<Long> route = new ArrayList<>();
        List<Long> accept = new ArrayList<>();
        List<Long> deliver = new ArrayList<>();
        long lost = 0;
        long duplicated = 0;
        for (OutboxFeed.Row r : rows) {
            Stages s = stages.get(r.eventId());
            for (String channel : List.of("private-audit-" + r.aggregate(), "private-fiche-" + r.aggregate() + "-f")) {
                String pair = r.aggregate() + "#" + r.seq() + "#" + channel;
                Long at = receivedAt.get(pair);
                if (at == null) {
                    lost++;
                    continue;
                }
                duplicated += times.get(pair) - 1;
                total.add(at - r.committedAtMillis());
                if (s != null && s.accepted > 0) {
                    deliver.add(at - s.accepted);
                }
            }
            if (s != null && s.relayed > 0 && s.routed > 0 && s.accepted > 0) {
                relay.add(s.relayed - r.committedAtMillis());
                route.add(s.routed - s.relayed);
                accept.add(s.accepted - s.routed);
            }
        }
        // the rate the writer reached: on a loaded machine one connection commits fewer rows than asked
        long first =
                rows.stream().mapToLong(OutboxFeed.Row::committedAtMillis).min().orElse(0);
        long last =
                rows.stream().mapToLong(OutboxFeed.Row::committedAtMillis).max().orElse(0);
        double reached = last > first ? rows.size() / ((last - first) / 1000.0) : 0;
        return String.format(
                "| %s | %d (%.0f) | %s | %d | %d | %s | %s | %s | %s |",
                phase.name(),
                phase.rate(),
                reached,
                Percentiles.of(total),
                lost,
                duplicated,
                short50And99(relay),
                short50And99(route),
                short50And99(accept),
                short50And99(deliver));
    }

    private static String short50And99(List<Long> values) {
        Percentiles p = Percentiles.of(values);
        return p.p50() + " / " + p.p99();
    }

    /** A phase's latencies per 5 s since {@code healthy} (every service reported healthy, the phase began). */
    private static List<String> buckets(
            String what, List<OutboxFeed.Row> rows, Map<String, Long> receivedAt, long healthy) {
        Map<Long, List<Long>> buckets = new java.util.TreeMap<>();
        for (OutboxFeed.Row r : rows) {
            for (String channel : List.of("private-audit-" + r.aggregate(), "private-fiche-" + r.aggregate() + "-f")) {
                Long at = receivedAt.get(r.aggregate() + "#" + r.seq() + "#" + channel);
                if (at != null) {
                    long bucket = (r.committedAtMillis() - healthy) / 5000;
                    buckets.computeIfAbsent(bucket, b -> new ArrayList<>()).add(at - r.committedAtMillis());
                }
            }
        }
        List<String> lines = new ArrayList<>();
        for (Map.Entry<Long, List<Long>> b : buckets.entrySet()) {
            lines.add(String.format(
                    "| %s, %d–%d s | | %s | | | | | | |",
                    what, b.getKey() * 5, b.getKey() * 5 + 5, Percentiles.of(b.getValue())));
        }
        return lines;
    }

    /** Each event's relay, routing and acceptance times, read back from realtime.events, .publish and the ledger. */
    private static Map<String, Stages> stages(Pipeline pipeline) {
        Map<String, Stages> stages = new HashMap<>();
        SchemaRegistry registry = SchemaRegistry.forUrl(pipeline.registry().url());
        AvroDeserializer<RealtimeEvent> events = new AvroDeserializer<>(RealtimeEvent.class, registry);
        AvroDeserializer<ChannelPublish> publishes = new AvroDeserializer<>(ChannelPublish.class, registry);
        AvroDeserializer<DeliveryReceipt> receipts = new AvroDeserializer<>(DeliveryReceipt.class, registry);
        String bootstrap = pipeline.broker().bootstrap();
        TopicReading.readAll(bootstrap, "realtime.events", r -> {
            RealtimeEvent e = events.deserialize(r.topic(), r.value());
            stages.computeIfAbsent(e.getEventId(), id -> new Stages()).relayed = r.timestamp();
        });
        TopicReading.readAll(bootstrap, "realtime.publish", r -> {
            ChannelPublish p = publishes.deserialize(r.topic(), r.value());
            stages.computeIfAbsent(p.getEventId(), id -> new Stages()).routed =
                    p.getRoutedAt().toEpochMilli();
        });
        TopicReading.readAll(bootstrap, "realtime.ledger", r -> {
            DeliveryReceipt d = receipts.deserialize(r.topic(), r.value());
            if ("PUBLISHED".equals(d.getOutcome())) {
                Stages s = stages.computeIfAbsent(d.getEventId(), id -> new Stages());
                s.accepted = Math.max(s.accepted, d.getSettledAt().toEpochMilli());
            }
        });
        return stages;
    }
}
