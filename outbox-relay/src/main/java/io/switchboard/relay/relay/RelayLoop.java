package io.switchboard.relay.relay;

import io.switchboard.relay.lock.ReplicaLock;
import io.switchboard.relay.outbox.Waker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The relay's one thread. While this replica does not hold the {@link ReplicaLock} it is a standby and tries again
 * every {@code standbyRetry}. While it does, it runs {@link OutboxRelay#step()}: again at once while batches come
 * back full (a backlog); every {@code pollInterval} while rows keep coming; when the outbox is drained it waits on
 * the {@link Waker} (a Postgres notification, or a poll interval that doubles while idle from {@code pollInterval}
 * up to {@code maxPollInterval}); while the
 * database or Kafka fails it backs off (up to {@code maxBackoff}) and resumes by itself.
 */
public final class RelayLoop implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RelayLoop.class);

    /** The intervals of the loop. */
    public record Timing(Duration pollInterval, Duration maxPollInterval, Duration maxBackoff, Duration standbyRetry) {}

    private final OutboxRelay relay;
    private final ReplicaLock lock;
    private final Waker waker;
    private final RelayListener metrics;
    private final Timing timing;
    private final Clock clock;
    private final Object pause = new Object();
    private volatile boolean running;
    private volatile boolean active;
    private volatile Instant lastSuccess;
    private Thread thread;

    public RelayLoop(
            OutboxRelay relay, ReplicaLock lock, Waker waker, RelayListener metrics, Timing timing, Clock clock) {
        this.relay = relay;
        this.lock = lock;
        this.waker = waker;
        this.metrics = metrics;
        this.timing = timing;
        this.clock = clock;
    }

    /** True while this replica holds the lock and relays. */
    public boolean active() {
        return active;
    }

    /** When a step last succeeded, or null. */
    public Instant lastSuccess() {
        return lastSuccess;
    }

    @Override
    public synchronized void start() {
        running = true;
        thread = new Thread(this::run, "outbox-relay");
        thread.start();
    }

    private void run() {
        long failures = 0;
        Duration idle = timing.pollInterval();
        try {
            while (running) {
                if (!lock.tryHold()) {
                    if (active) {
                        log.warn("outbox relay is now a standby");
                    }
                    active = false;
                    sleep(timing.standbyRetry());
                    continue;
                }
                active = true;
                OutboxRelay.Step step;
                try {
                    step = relay.step();
                } catch (InterruptedException e) {
                    throw e;
                } catch (Exception e) {
                    failures++;
                    metrics.failure(e);
                    Duration backoff =
                            min(timing.maxBackoff(), timing.pollInterval().multipliedBy(1L << Math.min(failures, 10)));
                    log.warn(
                            "outbox relay paused for {} ms (attempt {}): {}",
                            backoff.toMillis(),
                            failures,
                            rootMessage(e));
                    sleep(backoff);
                    continue;
                }
                if (failures > 0) {
                    log.info("outbox relay resumed after {} failed attempts", failures);
                    failures = 0;
                }
                lastSuccess = clock.instant();
                metrics.step(step);
                if (step.read() >= relay.batchSize()) {
                    idle = timing.pollInterval();
                } else if (waker.notifies() && (step.read() > 0 || relay.hasInFlight())) {
                    // rows keep coming, or acknowledgements are pending: poll at the short interval; a listener
                    // would be woken once per committed row (see PostgresNotifyWaker)
                    waker.stopListening();
                    waker.await(timing.pollInterval());
                } else if (waker.notifies()) {
                    // drained: listen; a row committed before the LISTEN took effect is found by one more step
                    if (!waker.listen()) {
                        waker.await(timing.maxPollInterval());
                    }
                } else if (relay.hasInFlight()) {
                    // acknowledgements are pending: come back soon to retire them
                    idle = timing.pollInterval();
                    waker.await(timing.pollInterval());
                } else {
                    idle = step.read() > 0
                            ? timing.pollInterval()
                            : min(timing.maxPollInterval(), idle.multipliedBy(2));
                    waker.await(idle);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (active) {
                try {
                    relay.drain(); // retire what Kafka acknowledged, so a successor republishes as little as possible
                } catch (Exception e) {
                    log.info("stopping with batches unacknowledged; the next active replica publishes them again");
                }
            }
            active = false;
            waker.close();
            lock.close();
        }
    }

    private void sleep(Duration duration) throws InterruptedException {
        synchronized (pause) {
            if (running) {
                pause.wait(Math.max(1, duration.toMillis()));
            }
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    @Override
    public void stop() {
        Thread t;
        synchronized (this) {
            running = false;
            t = thread;
        }
        synchronized (pause) {
            pause.notifyAll();
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
