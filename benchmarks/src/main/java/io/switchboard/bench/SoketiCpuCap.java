package io.switchboard.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Holds Soketi to a fixed share of the machine's CPU, through a Linux cgroup of its own (the cpu controller of
 * cgroup v1 at {@code /sys/fs/cgroup/cpu}, else cgroup v2's {@code cpu.max}), so that its ingest ceiling is a
 * property of Soketi and not of what the process driving it leaves over: on two shared cores a costlier driver
 * otherwise lowers the very ceiling it is compared with. A real Pusher has its own machines; this gives the
 * loopback Soketi a capacity of its own in the same way. Needs root; undone on close (Soketi goes back to the
 * cgroup it came from).
 *
 * <p>Written here, not taken from a library: what it does is write three small files under /sys/fs/cgroup.
 */
final class SoketiCpuCap implements AutoCloseable {

    /**
     * The cgroup's accounting period. Short, so that a capped Soketi is held back in slices of a few milliseconds and
     * not for tens of them at a time (with the kernel's default of 100 ms, a Soketi at half a core runs 50 ms, then
     * stands still for 50 ms, with every request in flight waiting).
     */
    private static final long PERIOD_MICROS = 10_000;

    private final Path group;
    private final Path home;
    private final String pid;

    private final AtomicBoolean closed = new AtomicBoolean();
    /** Undoes the cap if the run is stopped (Ctrl-C, a failure): a Soketi left held would slow the tests. */
    private final Thread undoOnExit = new Thread(this::undo, "soketi-cpu-cap-undo");

    private SoketiCpuCap(Path group, Path home, String pid) {
        this.group = group;
        this.home = home;
        this.pid = pid;
        Runtime.getRuntime().addShutdownHook(undoOnExit);
    }

    /**
     * Moves Soketi (its pid file under .switchboard/soketi) into a cgroup that may use {@code cores} of CPU time
     * per second of wall time.
     */
    static SoketiCpuCap of(double cores, Path pidFile) {
        if (!(cores > 0)) {
            throw new IllegalArgumentException("soketiCpus must be a positive number of cores, not " + cores);
        }
        long quota = Math.round(cores * PERIOD_MICROS);
        try {
            String pid = Files.readString(pidFile).trim();
            Path v1 = Path.of("/sys/fs/cgroup/cpu");
            if (Files.isRegularFile(v1.resolve("cpu.cfs_quota_us"))) {
                return hold(
                        v1,
                        pid,
                        List.of(Map.entry("cpu.cfs_period_us", PERIOD_MICROS), Map.entry("cpu.cfs_quota_us", quota)));
            }
            Path v2 = Path.of("/sys/fs/cgroup");
            if (Files.isRegularFile(v2.resolve("cgroup.controllers"))) {
                Files.writeString(v2.resolve("cgroup.subtree_control"), "+cpu");
                return hold(v2, pid, List.of(Map.entry("cpu.max", quota + " " + PERIOD_MICROS)));
            }
            throw new IllegalStateException("no cgroup cpu controller under /sys/fs/cgroup: cannot cap Soketi");
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "capping Soketi's CPU needs root, a writable /sys/fs/cgroup and Soketi's pid file (" + e + ")", e);
        }
    }

    /** Makes the group under {@code home}, writes its limits in order, then moves Soketi into it. */
    private static SoketiCpuCap hold(Path home, String pid, List<Map.Entry<String, ?>> limits) throws IOException {
        Path group = home.resolve("switchboard-soketi");
        Files.createDirectories(group);
        for (Map.Entry<String, ?> limit : limits) {
            Files.writeString(group.resolve(limit.getKey()), limit.getValue().toString());
        }
        Files.writeString(group.resolve("cgroup.procs"), pid);
        return new SoketiCpuCap(group, home, pid);
    }

    /** How often the cap held Soketi back, from the cgroup's own counters (v1: nr_throttled of nr_periods). */
    String throttling() {
        try {
            return Files.readString(group.resolve("cpu.stat"))
                    .replace('\n', ' ')
                    .trim();
        } catch (IOException e) {
            return "(cpu.stat unreadable)";
        }
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(undoOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to: undo is idempotent
        }
        undo();
    }

    private void undo() {
        if (closed.getAndSet(true)) {
            return;
        }
        try {
            Files.writeString(home.resolve("cgroup.procs"), pid);
            Files.delete(group);
        } catch (IOException e) {
            System.err.println("could not undo the CPU cap on Soketi (" + group + "): " + e);
        }
    }
}
