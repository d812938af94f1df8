package io.switchboard.bench;

import io.switchboard.testkit.pipeline.ServiceProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * The CPU a window of a harness's run took, from {@code /proc} (Linux): the machine's busy, idle and stolen shares
 * and the CPU seconds of each process watched, so that what bounds a rate on two shared cores is read rather than
 * guessed. Two ways to use it: {@link Reading#now} at a phase's start and end (exact, for phases of a few seconds),
 * or a sampler started with the services' processes that reads every 250 ms and answers for any window after the
 * fact ({@link #between}).
 */
final class CpuSampler implements AutoCloseable {

    /** Jiffies per second of {@code /proc/stat} and {@code /proc/<pid>/stat} (USER_HZ, 100 on Linux). */
    private static final double TICKS_PER_SECOND = 100;

    /**
     * CPU used within a window: its wall time, the machine's busy, idle (with iowait) and stolen shares (0..1 of all
     * cores; steal is the time the host gave the cores to another guest) and CPU seconds per process watched.
     */
    record Window(
            double seconds,
            double machineBusy,
            double machineIdle,
            double machineStolen,
            Map<String, Double> serviceSeconds) {

        /** A process's CPU seconds per event, in µs; 0 for a process not watched. */
        double microsPerEvent(String process, long events) {
            return serviceSeconds.getOrDefault(process, 0.0) / events * 1e6;
        }

        /** A process's share of all the machine's cores over the window (0..1). */
        double share(String process, int cores) {
            return serviceSeconds.getOrDefault(process, 0.0) / (seconds * cores);
        }
    }

    /** The machine's jiffies and each watched process's CPU seconds at one instant. */
    record Reading(long nanos, long busyTicks, long idleTicks, long stealTicks, Map<String, Double> processes) {

        /** Reads the machine and each of {@code processes} (by name: its CPU seconds so far) now. */
        static Reading now(Map<String, DoubleSupplier> processes) {
            Map<String, Double> seconds = new LinkedHashMap<>();
            processes.forEach((name, cpu) -> seconds.put(name, cpu.getAsDouble()));
            long[] machine = machineTicks();
            return new Reading(System.nanoTime(), machine[0], machine[1], machine[2], seconds);
        }

        /** The CPU used from {@code earlier} to this reading. */
        Window since(Reading earlier) {
            long busy = busyTicks - earlier.busyTicks;
            long idle = idleTicks - earlier.idleTicks;
            long steal = stealTicks - earlier.stealTicks;
            double total = busy + idle + steal;
            Map<String, Double> seconds = new LinkedHashMap<>();
            for (Map.Entry<String, Double> e : processes.entrySet()) {
                Double before = earlier.processes.get(e.getKey());
                // a process absent or not yet started at the window's start counts from zero
                seconds.put(e.getKey(), e.getValue() - (before == null ? 0 : before));
            }
            return new Window(
                    (nanos - earlier.nanos) / 1e9,
                    total == 0 ? 0 : busy / total,
                    total == 0 ? 0 : idle / total,
                    total == 0 ? 0 : steal / total,
                    seconds);
        }
    }

    private final Supplier<List<ServiceProcess>> services;
    private final List<Reading> samples = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    /** Starts sampling the machine and {@code services} (asked again at each sample: instances come and go). */
    CpuSampler(Supplier<List<ServiceProcess>> services) {
        this.services = services;
        this.thread = new Thread(this::run, "cpu-sampler");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run() {
        while (running) {
            Map<String, DoubleSupplier> cpu = new LinkedHashMap<>();
            for (ServiceProcess service : services.get()) {
                cpu.put(service.name(), service::cpuSeconds);
            }
            Reading reading = Reading.now(cpu);
            synchronized (this) {
                samples.add(reading);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The CPU used between two instants (System.nanoTime), from the samples nearest to them. */
    synchronized Window between(long fromNanos, long toNanos) {
        return nearest(toNanos).since(nearest(fromNanos));
    }

    private Reading nearest(long nanos) {
        Reading best = samples.get(0);
        for (Reading s : samples) {
            if (Math.abs(s.nanos() - nanos) < Math.abs(best.nanos() - nanos)) {
                best = s;
            }
        }
        return best;
    }

    /** This JVM's CPU seconds so far (user + system, to the nanosecond). */
    static double thisJvmSeconds() {
        return ((com.sun.management.OperatingSystemMXBean)
                                java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                        .getProcessCpuTime()
                / 1e9;
    }

    /**
     * The CPU seconds (user + system) of the process whose pid {@code pidFile} holds, from {@code /proc/<pid>/stat};
     * 0 when the file or the process is gone (a process not started by the script that writes the file).
     */
    static double processSeconds(Path pidFile) {
        try {
            String pid = Files.readString(pidFile).trim();
            String stat = Files.readString(Path.of("/proc", pid, "stat"));
            // the fields after the command name, which is in parentheses and may hold spaces
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND; // utime, stime
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** {busy, idle, steal} jiffies of all cores: /proc/stat's first line (iowait counts as idle); zeros if unread. */
    private static long[] machineTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < Math.min(f.length, 9); i++) { // user nice system idle iowait irq softirq steal
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            // steal is time the host gave another guest: neither ours nor idle
            long steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
            return new long[] {total - idle - steal, idle, steal};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0, 0};
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(5_000);
    }
}
