package io.switchboard.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * Times the phases of a harness that runs in this JVM, and prints what each cost beside its rate: the CPU of the
 * processes watched (this JVM, Soketi) per event and as a share of the cores, the machine's idle time and the time
 * the host took from it (steal: a phase with much of it is not comparable with one without), and the JIT's and
 * the GC's time in it. Every phase starts once the JIT is idle, so the figures are a long-running service's, not a
 * fresh JVM's. With {@code threads} set, each phase also prints the CPU each group of this JVM's threads spent per
 * event, and a line where it starts (to read {@code -XX:+PrintCompilation} beside it).
 */
final class PhaseMeter {

    /** The name under which this JVM's own CPU is watched. */
    static final String THIS_JVM = "this JVM";

    private static final int CORES = Runtime.getRuntime().availableProcessors();

    private final Map<String, DoubleSupplier> processes = new LinkedHashMap<>();
    private final boolean threads;

    /**
     * Watches this JVM and {@code others} (by name, each a source of its CPU seconds so far, in the order they are to
     * be printed).
     */
    PhaseMeter(Map<String, DoubleSupplier> others, boolean threads) {
        this.processes.put(THIS_JVM, CpuSampler::thisJvmSeconds);
        this.processes.putAll(others);
        this.threads = threads;
    }

    static int cores() {
        return CORES;
    }

    /** Waits until the JIT is idle, then starts a phase. */
    Phase start() {
        JvmActivity.awaitJitIdle();
        if (threads) {
            System.out.println("    (the phase starts)");
        }
        JvmActivity jvm = JvmActivity.now(threads);
        return new Phase(jvm, CpuSampler.Reading.now(processes));
    }

    /** A phase under way. */
    final class Phase {
        private final JvmActivity jvmAtStart;
        private final CpuSampler.Reading cpuAtStart;

        private Phase(JvmActivity jvm, CpuSampler.Reading cpu) {
            this.jvmAtStart = jvm;
            this.cpuAtStart = cpu;
        }

        /** Ends the phase, in which {@code events} were handled, and prints its lines under {@code label}. */
        Measured end(String label, long events) {
            CpuSampler.Window cpu = CpuSampler.Reading.now(processes).since(cpuAtStart);
            JvmActivity jvm = JvmActivity.now(threads);
            Measured measured = new Measured(label, events, cpu);
            System.out.println(measured.line());
            System.out.println("    during the phase: " + jvm.since(jvmAtStart));
            if (threads) {
                jvm.threadGroupsSince(jvmAtStart).forEach((group, nanos) -> {
                    if (nanos > 10_000_000L) {
                        System.out.printf("    %6.1f µs/event  %s%n", nanos / 1e3 / events, group);
                    }
                });
            }
            return measured;
        }
    }

    /** One phase's events, wall time and CPU. */
    record Measured(String label, long events, CpuSampler.Window cpu) {

        double rate() {
            return events / cpu.seconds();
        }

        /** A watched process's CPU per event in this phase, in µs. */
        double microsPerEvent(String process) {
            return cpu.microsPerEvent(process, events);
        }

        /**
         * "publisher → soketi   200,000 events in 2.10 s: 95,238 events/s   [CPU: this JVM 61%, Soketi 40%, machine
         * idle 3%, stolen by the host 0% of 2 cores; per event: this JVM 12.8 µs, Soketi 8.4 µs]"
         */
        String line() {
            StringBuilder shares = new StringBuilder();
            StringBuilder perEvent = new StringBuilder();
            for (String process : cpu.serviceSeconds().keySet()) {
                shares.append(String.format("%s %.0f%%, ", process, 100 * cpu.share(process, CORES)));
                perEvent.append(String.format(
                        "%s%s %.1f µs", perEvent.isEmpty() ? "" : ", ", process, microsPerEvent(process)));
            }
            return String.format(
                    "%-28s %,d events in %.2f s: %,.0f events/s   [CPU: %smachine idle %.0f%%, stolen by the host"
                            + " %.0f%% of %d cores; per event: %s]",
                    label,
                    events,
                    cpu.seconds(),
                    rate(),
                    shares,
                    100 * cpu.machineIdle(),
                    100 * cpu.machineStolen(),
                    CORES,
                    perEvent);
        }
    }
}
