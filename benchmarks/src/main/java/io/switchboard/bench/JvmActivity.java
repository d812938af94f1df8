package io.switchboard.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;

/**
 * This JVM's own background work at one instant: the JIT's compilation time, the GC's collections and time, and, when
 * asked, the CPU time of each live thread. A phase the JIT is busy in is not a long-running service's steady state,
 * so a harness waits for it ({@link #awaitJitIdle}) and prints how much of it remained.
 */
record JvmActivity(long jitMillis, long gcCount, long gcMillis, Map<Long, ThreadCpu> threads) {

    /** A live thread's name, with its numbers folded so that a pool's threads form one group, and its CPU time. */
    record ThreadCpu(String group, long nanos) {}

    /** Reads the JIT's and the GC's totals now, and each thread's CPU time too when {@code threads} is set. */
    static JvmActivity now(boolean threads) {
        long gcCount = 0;
        long gcMillis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcCount += gc.getCollectionCount();
            gcMillis += gc.getCollectionTime();
        }
        return new JvmActivity(
                ManagementFactory.getCompilationMXBean().getTotalCompilationTime(),
                gcCount,
                gcMillis,
                threads ? threadCpu() : Map.of());
    }

    private static Map<Long, ThreadCpu> threadCpu() {
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        Map<Long, ThreadCpu> byThread = new HashMap<>();
        for (ThreadInfo info : bean.getThreadInfo(bean.getAllThreadIds())) {
            long nanos = info == null ? -1 : bean.getThreadCpuTime(info.getThreadId());
            if (nanos > 0) {
                byThread.put(
                        info.getThreadId(), new ThreadCpu(info.getThreadName().replaceAll("\\d+", "N"), nanos));
            }
        }
        return byThread;
    }

    /** "JIT 12 ms, GC 3 collections, 40 ms": what the JIT and the GC did from {@code earlier} to this reading. */
    String since(JvmActivity earlier) {
        return String.format(
                "JIT %d ms, GC %d collections, %d ms",
                jitMillis - earlier.jitMillis, gcCount - earlier.gcCount, gcMillis - earlier.gcMillis);
    }

    /**
     * The CPU each group of threads spent from {@code earlier} to this reading, in nanoseconds, by group name (a
     * thread born in between counts from zero; one that died in between is not seen).
     */
    Map<String, Long> threadGroupsSince(JvmActivity earlier) {
        Map<String, Long> byGroup = new TreeMap<>();
        threads.forEach((id, now) -> {
            ThreadCpu before = earlier.threads.get(id);
            byGroup.merge(now.group(), now.nanos() - (before == null ? 0 : before.nanos()), Long::sum);
        });
        return byGroup;
    }

    /**
     * Waits (up to 30 s) until the JIT compilers have caught up: the compilation time grows by less than 10 ms in
     * 250 ms. Starting a Spring context queues seconds of compilation that, on two cores, would otherwise be paid
     * inside the next timed phase (measured: 3.4 s of compiler time during a 2 s publisher phase, against 1.3 s in a
     * ceiling phase), so every phase starts from the same quiet JVM.
     */
    static void awaitJitIdle() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        long before = jit.getTotalCompilationTime();
        while (System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(250).toNanos());
            long now = jit.getTotalCompilationTime();
            if (now - before < 10) {
                return;
            }
            before = now;
        }
    }
}
