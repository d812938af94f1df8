package io.switchboard.bench;

import io.switchboard.testkit.ProjectRoot;
import io.switchboard.testkit.pipeline.Pipeline;
import io.switchboard.testkit.pipeline.SinkLedger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fault matrix (docs/reliability.md): the whole pipeline as separate OS processes ({@link Pipeline}), one
 * phase per fault. Each phase writes {@code -Drate} outbox rows a second (default 200, one commit per row) over 50
 * aggregates for {@code -Dseconds} (default 30), injects its fault {@code -DfaultAt} seconds in (default 8), waits
 * until every (event, channel) pair is delivered (at most 3 minutes) and prints one row of the result table: rows,
 * pairs expected, delivered once, lost, duplicated, out of order per channel, the longest time an aggregate waited,
 * and the dead letters by stage and reason. Arguments name the faults to run (default: all, in the table's order).
 * It exits 1 when any phase lost or reordered a delivery, or duplicated one that a publisher crash does not explain
 * (what Pusher accepted from a publisher that was then killed, and it had not recorded, may repeat once from its
 * replacement: at-least-once). {@code -Denv=K=V,K=V} gives the router and the
 * publisher extra environment variables, to compare settings (docs/reliability.md compares group memberships);
 * {@code -Dcds=true} starts every service from a class data sharing archive.
 */
public final class FaultMatrixHarness {

    private FaultMatrixHarness() {}

    public static void main(String[] args) throws Exception {
        int rate = Integer.getInteger("rate", 200);
        int seconds = Integer.getInteger("seconds", 30);
        int faultAt = Integer.getInteger("faultAt", 8);
        Path root = ProjectRoot.path();
        Path work = Report.runDirectory("faults");
        List<String> only = List.of(args);
        List<String> table = new ArrayList<>();
        List<String> broken = new ArrayList<>();
        Map<String, String> env = new LinkedHashMap<>();
        for (String pair : System.getProperty("env", "").split(",")) {
            if (pair.contains("=")) {
                env.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
            }
        }
        try (Pipeline pipeline = new Pipeline(
                root,
                work,
                System.getProperty("databaseUrl", "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres"),
                env)) {
            pipeline.classDataSharing(Boolean.getBoolean("cds"));
            pipeline.start();
            System.out.println(
                    "pipeline up; logs in " + work + (env.isEmpty() ? "" : "; router and publisher with " + env));
            Map<String, Pipeline.Fault[]> faults = new LinkedHashMap<>();
            Pipeline.Fault nothing = () -> {};
            faults.put("none", new Pipeline.Fault[] {nothing, nothing});
            faults.put("kill-relay", new Pipeline.Fault[] {nothing, () -> pipeline.restartKilled("relay")});
            faults.put("kill-router", new Pipeline.Fault[] {nothing, () -> pipeline.restartKilled("router")});
            faults.put("kill-publisher", new Pipeline.Fault[] {nothing, () -> pipeline.restartKilled("publisher")});
            faults.put("router-takeover", new Pipeline.Fault[] {
                pipeline::startSecondRouter, () -> pipeline.routerTakeover(Duration.ofSeconds(25))
            });
            faults.put("broker-restart", new Pipeline.Fault[] {nothing, pipeline::brokerRestart});
            faults.put("redis-restart", new Pipeline.Fault[] {nothing, pipeline::redisRestart});
            faults.put("postgres-restart", new Pipeline.Fault[] {nothing, pipeline::postgresRestart});
            faults.put("pusher-down-then-429", new Pipeline.Fault[] {nothing, pipeline::pusherDownThen429});
            faults.put(
                    "dlq-unwritable",
                    new Pipeline.Fault[] {nothing, () -> pipeline.deadLetterTopicsUnwritable(Duration.ofSeconds(20))});
            faults.put(
                    "registry-down",
                    new Pipeline.Fault[] {nothing, () -> pipeline.registryDown(Duration.ofSeconds(15))});
            faults.put("bad-input", new Pipeline.Fault[] {nothing, () -> pipeline.badInput(15)});
            System.out.println(Pipeline.PhaseResult.header());
            for (Map.Entry<String, Pipeline.Fault[]> fault : faults.entrySet()) {
                if (!only.isEmpty() && !only.contains(fault.getKey())) {
                    continue;
                }
                Pipeline.PhaseResult result = pipeline.phase(
                        fault.getKey(),
                        fault.getValue()[0],
                        fault.getValue()[1],
                        rate,
                        seconds,
                        faultAt,
                        Duration.ofMinutes(3));
                System.out.println(result);
                table.add(result.toString());
                SinkLedger.Counts c = result.counts();
                if (c.lost() + c.outOfOrder() > 0 || !result.duplicatesOnlyFromACrash()) {
                    broken.add(fault.getKey());
                }
            }
        }
        Report.save(work, table);
        if (!broken.isEmpty()) {
            System.out.println("FAILED: lost, duplicated or reordered deliveries under " + broken);
            System.exit(1);
        }
        System.exit(0);
    }
}
