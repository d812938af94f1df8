package io.switchboard.bench;

import io.switchboard.testkit.ProjectRoot;
import io.switchboard.testkit.pipeline.GroupWatch;
import io.switchboard.testkit.pipeline.Pipeline;
import io.switchboard.testkit.pipeline.ServiceProcess;
import io.switchboard.testkit.pipeline.SinkLedger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/**
 * Scale-out on Kafka (issue 17, docs/scaling.md): the pipeline as separate processes, {@code -Dpartitions} (6)
 * partitions per topic, Redis shared by the routers' progress guard and the publishers' dedupe, the Pusher
 * stand-in recording every accepted (event, channel). Two scenarios, both by default, or the ones named:
 *
 * <ul>
 *   <li>{@code throughput}: for 3, 2 and 1 routers and publishers (the others stopped, never restarted), a burst of
 *       {@code -Dburst} (40,000) events produced straight onto realtime.events (faster than any consumer drains
 *       it: the relay is one active instance by design and measured by relay-load), after a warm-up burst a quarter
 *       that size; the rate is taken between the 10th and the 90th percentile of the sink's acceptances (start and
 *       tail left out), with the CPU the machine and each service used in that window.
 *   <li>{@code kills}: three relays (one active), three routers, three publishers; {@code -Drate} (2,000) rows a
 *       second over {@code -Daggregates} (600) aggregates from {@code -Dwriters} (4) connections for
 *       {@code -Dseconds} (120); {@code -DkillAt} (40) seconds in, kill -9 one router and one publisher; 40 s later
 *       start a fourth of each. Lost, duplicated, out of order per aggregate, the longest wait of an aggregate, and
 *       every rebalance of both groups.
 * </ul>
 *
 * It exits 1 when the kills scenario lost, reordered, or duplicated a pair that the publisher's kill does not
 * explain.
 */
public final class ScaleOutHarness {

    private static final String ROUTERS = "switchboard-router";
    private static final String PUBLISHERS = "switchboard-publisher";

    private ScaleOutHarness() {}

    public static void main(String[] args) throws Exception {
        List<String> scenarios = args.length == 0 ? List.of("throughput", "kills") : List.of(args);
        int partitions = Integer.getInteger("partitions", 6);
        Path root = ProjectRoot.path();
        Path work = Report.runDirectory("scale-out");
        List<String> report = new ArrayList<>();
        boolean broken = false;
        try (Pipeline pipeline = new Pipeline(
                        root,
                        work,
                        System.getProperty("databaseUrl", "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres"))
                .instances(3, 3, 3, partitions)) {
            pipeline.start();
            System.out.println(
                    "pipeline up: 3 relays, 3 routers, 3 publishers, " + partitions + " partitions; logs in " + work);
            try (CpuSampler cpu = new CpuSampler(
                    () -> Stream.concat(pipeline.instances("router").stream(), pipeline.instances("publisher").stream())
                            .toList())) {
                if (scenarios.contains("throughput")) {
                    report.addAll(throughput(pipeline, cpu));
                }
                if (scenarios.contains("kills")) {
                    List<String> kills = new ArrayList<>();
                    broken = kills(pipeline, kills);
                    report.addAll(kills);
                }
            }
        }
        Report.save(work, report);
        System.exit(broken ? 1 : 0);
    }

    /** Drains the same burst with 3, 2 and 1 routers and publishers, each set warmed up by a burst first. */
    private static List<String> throughput(Pipeline pipeline, CpuSampler cpu) throws Exception {
        int burst = Integer.getInteger("burst", 40_000);
        int aggregates = Integer.getInteger("aggregates", 600);
        List<String> table = new ArrayList<>();
        table.add("| routers + publishers | events/s | pairs/s | × one of each | machine CPU busy"
                + " | router CPU µs/event | publisher CPU µs/event |");
        table.add("|---|---|---|---|---|---|---|");
        System.out.println(table.get(0));
        double[] rates = new double[4];
        // Three first, then two, then one: an instance is stopped, never started again, so every measured
        // instance is warm. (Measured the other way round, each new JVM compiled its hot paths inside the window:
        // 1,475 µs of publisher CPU per event with two of each against 476 with one.)
        List<String> lines = new ArrayList<>();
        for (int n = 3; n >= 1; n--) {
            List<ServiceProcess> routers = pipeline.instances("router");
            List<ServiceProcess> publishers = pipeline.instances("publisher");
            for (int i = 0; i < routers.size(); i++) {
                run(routers.get(i), i < n);
                run(publishers.get(i), i < n);
            }
            // the JIT warm (a whole burst the first time) and the group settled with n members before measuring
            drain(pipeline, "warm" + n, aggregates, n == 3 ? burst : burst / 4);
            String prefix = drain(pipeline, "burst" + n, aggregates, burst);
            long[] accepted = pipeline.ledger().acceptedNanos(prefix);
            long from = accepted[accepted.length / 10];
            long to = accepted[accepted.length * 9 / 10];
            double seconds = (to - from) / 1e9;
            double pairsPerSecond = (accepted.length * 0.8) / seconds;
            double eventsPerSecond = pairsPerSecond / 2; // each event reaches two channels
            CpuSampler.Window used = cpu.between(from, to);
            double events = eventsPerSecond * seconds;
            double routerCpu = sum(used.serviceSeconds(), "router") / events * 1e6;
            double publisherCpu = sum(used.serviceSeconds(), "publisher") / events * 1e6;
            rates[n] = eventsPerSecond;
            lines.add(
                    0,
                    String.format(
                            "| %d + %d | %,.0f | %,.0f | %%s | %.0f%%%% | %.0f | %.0f |",
                            n, n, eventsPerSecond, pairsPerSecond, used.machineBusy() * 100, routerCpu, publisherCpu));
            System.out.printf("%d + %d: %,.0f events/s%n", n, n, eventsPerSecond);
        }
        for (int n = 1; n <= 3; n++) {
            table.add(String.format(lines.get(n - 1), String.format("%.2f", rates[n] / rates[1])));
        }
        table.forEach(System.out::println);
        // the kills scenario starts from three of each again
        for (ServiceProcess s : pipeline.instances("router")) {
            run(s, true);
        }
        for (ServiceProcess s : pipeline.instances("publisher")) {
            run(s, true);
        }
        return table;
    }

    /** Starts or stops one instance (SIGTERM: it leaves its group), and waits until a started one is healthy. */
    private static void run(ServiceProcess service, boolean on) throws Exception {
        if (on && !service.isAlive()) {
            service.start();
            service.awaitHealthy(Duration.ofMinutes(3));
        } else if (!on && service.isAlive()) {
            service.stop();
        }
    }

    /** A burst of {@code count} events produced onto realtime.events, waited for until every pair arrived. */
    private static String drain(Pipeline pipeline, String name, int aggregates, int count) {
        String prefix = name + "-" + UUID.randomUUID().toString().substring(0, 6);
        Set<String> expected = SinkLedger.expectedPairs(pipeline.produceBurst(prefix, aggregates, count));
        Awaitility.await(name + " drained")
                .atMost(Duration.ofMinutes(10))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> pipeline.ledger().deliveredOf(expected) == expected.size());
        return prefix;
    }

    /** Three of each under a steady writer; one router and one publisher killed, a fourth of each started later. */
    private static boolean kills(Pipeline pipeline, List<String> report) throws Exception {
        int rate = Integer.getInteger("rate", 2000);
        int seconds = Integer.getInteger("seconds", 120);
        int aggregates = Integer.getInteger("aggregates", 600);
        int writers = Integer.getInteger("writers", 4);
        int killAt = Integer.getInteger("killAt", 40);
        Pipeline.PhaseResult result;
        try (GroupWatch groups = new GroupWatch(pipeline.broker().bootstrap(), List.of(ROUTERS, PUBLISHERS))) {
            result = pipeline.phase(
                    "kills",
                    () -> {},
                    () -> {
                        pipeline.service("router-2").kill9();
                        pipeline.service("publisher-2").kill9();
                        System.out.println("killed router-2 and publisher-2 (kill -9)");
                        Thread.sleep(40_000);
                        ServiceProcess router = pipeline.addInstance("router");
                        ServiceProcess publisher = pipeline.addInstance("publisher");
                        router.start();
                        publisher.start();
                        router.awaitHealthy(Duration.ofMinutes(3));
                        publisher.awaitHealthy(Duration.ofMinutes(3));
                        System.out.println("started " + router.name() + " and " + publisher.name());
                    },
                    rate,
                    seconds,
                    killAt,
                    Duration.ofMinutes(5),
                    aggregates,
                    writers);
            report.add("");
            report.add(Pipeline.PhaseResult.header());
            report.add(result.toString());
            report.add("");
            report.add(String.format(
                    "longest rebalance: routers %.1f s, publishers %.1f s",
                    groups.longest(ROUTERS), groups.longest(PUBLISHERS)));
            for (GroupWatch.Rebalance r : groups.rebalances()) {
                report.add("- " + r);
            }
        }
        report.forEach(System.out::println);
        SinkLedger.Counts c = result.counts();
        return c.lost() + c.outOfOrder() > 0 || !result.duplicatesOnlyFromACrash();
    }

    private static double sum(Map<String, Double> seconds, String role) {
        return seconds.entrySet().stream()
                .filter(e -> e.getKey().equals(role) || e.getKey().startsWith(role + "-"))
                .mapToDouble(Map.Entry::getValue)
                .sum();
    }
}
