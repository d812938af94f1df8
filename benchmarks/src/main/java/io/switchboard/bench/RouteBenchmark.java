package io.switchboard.bench;

import io.switchboard.router.guard.ProgressGuard;
import io.switchboard.router.routing.ChannelRouter;
import io.switchboard.router.routing.EventRouter;
import io.switchboard.router.routing.RoutingTable;
import io.switchboard.router.truncation.PayloadTruncator;
import io.switchboard.schemas.RealtimeEvent;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.databind.json.JsonMapper;

/**
 * Route + truncate (the router's whole per-event work, without Kafka) on seed-shaped events, one thread: the
 * score is events per second per core. {@code parseOnly} is the baseline measured in the same run: parsing the
 * payload JSON, which routing cannot avoid.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class RouteBenchmark {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private EventRouter router;
    private RealtimeEvent typical;
    private RealtimeEvent oversize;

    @Setup
    public void setUp() {
        router = new EventRouter(
                new ChannelRouter(RoutingTable.defaults(true), true),
                new PayloadTruncator(9000),
                ProgressGuard.inMemory(100_000),
                Clock.systemUTC());
        typical = SeedEvents.typical(1);
        oversize = SeedEvents.oversize(1);
    }

    @Benchmark
    public Object routeTypical300Bytes() {
        return router.route(typical);
    }

    @Benchmark
    public Object routeOversize50Kilobytes() {
        return router.route(oversize);
    }

    @Benchmark
    public Object parseOnlyTypical300Bytes() {
        return JSON.readTree(typical.getPayload());
    }

    @Benchmark
    public Object parseOnlyOversize50Kilobytes() {
        return JSON.readTree(oversize.getPayload());
    }
}
