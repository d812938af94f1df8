package io.switchboard.bench;

import io.switchboard.testkit.pipeline.ServiceProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Samples, every 250 ms, the machine's busy CPU (from {@code /proc/stat}) and the CPU time of each service process,
 * so a harness can say how much CPU a window of its run took, in all and per service: what bounds a rate on two
 * shared cores is read here rather than guessed.
 */
final class CpuSampler implements AutoCloseable {

    /** CPU used within a window: the machine's busy share (0..1 of all cores) and seconds per service. */
    record Window(double machineBusy, Map<String, Double> serviceSeconds) {}

    private record Sample(long nanos, long busyTicks, long totalTicks, Map<String, Double> services) {}

    private final Supplier<List<ServiceProcess>> services;
    private final List<Sample> samples = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    CpuSampler(Supplier<List<ServiceProcess>> services) {
        this.services = services;
        this.thread = new Thread(this::run, "cpu-sampler");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run() {
        while (running) {
            sample();
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void sample() {
        long[] machine = machineTicks();
        Map<String, Double> cpu = new LinkedHashMap<>();
        for (ServiceProcess service : services.get()) {
            cpu.put(service.name(), service.cpuSeconds());
        }
        synchronized (this) {
            samples.add(new Sample(System.nanoTime(), machine[0], machine[1], cpu));
        }
    }

    /** The CPU used between two instants (System.nanoTime), from the samples nearest to them. */
    synchronized Window between(long fromNanos, long toNanos) {
        Sample from = nearest(fromNanos);
        Sample to = nearest(toNanos);
        double busy = to.totalTicks() == from.totalTicks()
                ? 0
                : (double) (to.busyTicks() - from.busyTicks()) / (to.totalTicks() - from.totalTicks());
        Map<String, Double> seconds = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : to.services().entrySet()) {
            Double before = from.services().get(e.getKey());
            // a service absent or not yet started at the window's start counts from zero
            seconds.put(e.getKey(), e.getValue() - (before == null ? 0 : before));
        }
        return new Window(busy, seconds);
    }

    private Sample nearest(long nanos) {
        Sample best = samples.get(0);
        for (Sample s : samples) {
            if (Math.abs(s.nanos() - nanos) < Math.abs(best.nanos() - nanos)) {
                best = s;
            }
        }
        return best;
    }

    /** {busy, total} jiffies of all cores: /proc/stat's first line (idle, iowait and steal are not busy). */
    private static long[] machineTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < Math.min(f.length, 9); i++) { // user nice system idle iowait irq softirq steal
                total += Long.parseLong(f[i]);
            }
            // steal is time the host gave another guest: neither ours nor idle, so out of "busy" but in the total
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]) + (f.length > 8 ? Long.parseLong(f[8]) : 0);
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(5_000);
    }
}
