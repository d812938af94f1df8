package io.switchboard.relay.relay;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs {@link OutboxRelay#step()} on one thread: again at once while batches come back full (a backlog), after
 * {@code pollInterval} when the outbox is drained, and after a growing backoff (up to {@code maxBackoff}) while the
 * database or Kafka fails, so an outage pauses the relay and it resumes by itself.
 */
public final class RelayLoop implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RelayLoop.class);

    private final OutboxRelay relay;
    private final RelayMetrics metrics;
    private final Duration pollInterval;
    private final Duration maxBackoff;
    private ScheduledExecutorService executor;
    private volatile boolean running;
    private long failures;

    public RelayLoop(OutboxRelay relay, RelayMetrics metrics, Duration pollInterval, Duration maxBackoff) {
        this.relay = relay;
        this.metrics = metrics;
        this.pollInterval = pollInterval;
        this.maxBackoff = maxBackoff;
    }

    @Override
    public synchronized void start() {
        executor = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "outbox-relay"));
        running = true;
        executor.execute(this::tick);
    }

    private void tick() {
        if (!running) {
            return;
        }
        long delay;
        try {
            OutboxRelay.Step step = relay.step();
            metrics.step(step);
            if (failures > 0) {
                log.info("outbox relay resumed after {} failed attempts", failures);
                failures = 0;
            }
            delay = step.read() >= relay.batchSize() ? 0 : pollInterval.toMillis();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            failures++;
            metrics.failure();
            delay = Math.min(maxBackoff.toMillis(), pollInterval.toMillis() * (1L << Math.min(failures, 10)));
            log.warn("outbox relay paused for {} ms (attempt {}): {}", delay, failures, rootMessage(e));
        }
        if (running) {
            executor.schedule(this::tick, delay, TimeUnit.MILLISECONDS);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    @Override
    public synchronized void stop() {
        running = false;
        if (executor != null) {
            executor.shutdown();
            try {
                if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                    executor.shutdownNow();
                }
            } catch (InterruptedException e) {
                executor.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
