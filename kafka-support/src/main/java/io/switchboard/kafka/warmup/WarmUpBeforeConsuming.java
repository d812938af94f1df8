package io.switchboard.kafka.warmup;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;

/**
 * Runs the service's warm-ups before its Kafka listener containers start (this lifecycle's phase is just below
 * theirs), so that the first records are handled by compiled code on open connections rather than by the
 * interpreter while the JIT compilers compete with it for the cores: in the latency harness the first seconds after
 * a start cost users up to two seconds (docs/benchmarks.md, issue 17). Each warm-up runs {@code iterations} times or
 * until {@code max-time} is spent in all; a warm-up that fails is logged and skipped, never fatal.
 */
public final class WarmUpBeforeConsuming implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(WarmUpBeforeConsuming.class);

    private final List<WarmUp> warmUps;
    private final WarmUpSettings settings;
    private volatile boolean running;

    public WarmUpBeforeConsuming(List<WarmUp> warmUps, WarmUpSettings settings) {
        this.warmUps = warmUps;
        this.settings = settings;
    }

    @Override
    public void start() {
        running = true;
        long deadline = System.nanoTime() + settings.maxTime().toNanos();
        for (WarmUp warmUp : warmUps) {
            long started = System.nanoTime();
            int done = 0;
            try {
                warmUp.prepare();
                while (done < settings.iterations() && System.nanoTime() < deadline) {
                    warmUp.once();
                    done++;
                }
                log.info(
                        "warm-up {}: {} iterations in {} ms",
                        warmUp.name(),
                        done,
                        (System.nanoTime() - started) / 1_000_000);
            } catch (RuntimeException e) {
                // the service runs without it, only slower for its first seconds
                log.warn("warm-up {} stopped after {} iterations: {}", warmUp.name(), done, e.toString());
            }
        }
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Just before the listener containers (and the web server, which starts after them). */
    @Override
    public int getPhase() {
        return AbstractMessageListenerContainer.DEFAULT_PHASE - 1;
    }
}
