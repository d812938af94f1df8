package io.switchboard.relay.relay;

import io.switchboard.relay.lock.ReplicaLock;
import io.switchboard.relay.outbox.Secrets;
import io.switchboard.relay.outbox.Waker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's one thread. While this replica does not hold the {@link ReplicaLock} it is a standby and tries again
 * every {@code standbyRetry}. While it does, it runs {@link OutboxRelay#step()}: again at once while batches come
 * back full (a backlog); every {@code pollInterval} while rows keep coming; when the outbox is drained it waits on
 * the {@link Waker} (a Postgres notification, or a poll interval that doubles while idle from {@code pollInterval}
 * up to {@code maxPollInterval}); while the database or Kafka fails it backs off (up to {@code maxBackoff}) and
 * resumes by itself.
 *
 * <p>{@link #status()} is what health reports: unhealthy once the relay cannot make progress, with the reason.
 * {@link #stop()} lets the current step finish, then retires what Kafka acknowledged before letting go of the lock.
 */
public final class RelayLoop {

    private static final Logger log = LoggerFactory.getLogger(RelayLoop.class);

    /**
     * The intervals of the loop.
     *
     * @param unhealthyAfter how long the relay may fail without a success (or one step may run) before health says
     *     it cannot make progress
     */
    public record Timing(
            Duration pollInterval,
            Duration maxPollInterval,
            Duration maxBackoff,
            Duration standbyRetry,
            Duration unhealthyAfter) {}

    private final OutboxRelay relay;
    private final ReplicaLock lock;
    private final Waker waker;
    private final RelayListener listener;
    private final Timing timing;
    private final Clock clock;
    private final FailureLog failureLog = new FailureLog(log);
    private final Object pause = new Object();
    private volatile boolean running;
    private volatile boolean active;
    private volatile Instant lastSuccess;
    private volatile Instant failingSince;
    private volatile Instant stepStartedAt;
    private volatile long failures;
    private volatile String lastError;
    private volatile String fatal;
    private boolean waiting;
    private Thread thread;

    public RelayLoop(
            OutboxRelay relay, ReplicaLock lock, Waker waker, RelayListener listener, Timing timing, Clock clock) {
        this.relay = relay;
        this.lock = lock;
        this.waker = waker;
        this.listener = listener;
        this.timing = timing;
        this.clock = clock;
    }

    /** True while this replica holds the lock and relays. */
    public boolean active() {
        return active;
    }

    /** When a step (or, for a standby, a lock check) last succeeded, or null. */
    public Instant lastSuccess() {
        return lastSuccess;
    }

    public boolean isRunning() {
        return running;
    }

    /** The lock this loop holds or waits for. */
    public ReplicaLock lock() {
        return lock;
    }

    /** Health: the role, and whether the relay can make progress (with the reason when it cannot). */
    public RelayStatus status() {
        String role = !running ? "stopped" : active ? "active" : "standby";
        Instant now = clock.instant();
        String reason = null;
        if (fatal != null) {
            reason = "the relay thread stopped: " + fatal;
        } else if (!running) {
            reason = "the relay is stopped";
        } else if (failingSince != null
                && !age(failingSince, now).minus(timing.unhealthyAfter()).isNegative()) {
            reason = "no progress for " + age(failingSince, now).toSeconds() + " s (" + failures + " failed attempts): "
                    + lastError;
        } else {
            Instant started = stepStartedAt;
            if (started != null
                    && !age(started, now).minus(timing.unhealthyAfter()).isNegative()) {
                reason = "a step has been running for " + age(started, now).toSeconds() + " s";
            }
        }
        return new RelayStatus(role, reason == null, reason, lastSuccess, failures, lastError);
    }

    private static Duration age(Instant since, Instant now) {
        return Duration.between(since, now);
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        fatal = null;
        thread = new Thread(this::run, "outbox-relay");
        thread.start();
    }

    private void run() {
        try {
            loop();
        } catch (Throwable e) { // an Error, or a bug outside a step: health must say so
            fatal = Secrets.describe(e);
            log.error("outbox relay thread stopped: {}", fatal, Secrets.redacted(e));
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        } finally {
            if (active && fatal == null) {
                try {
                    relay.drain(); // retire what Kafka acknowledged, so a successor republishes as little as possible
                } catch (Exception e) {
                    log.info(
                            "outbox relay stopping with batches unacknowledged ({}); the next active replica"
                                    + " publishes them again",
                            Secrets.describe(e));
                }
            }
            active = false;
            running = false;
            waker.close();
            lock.close();
        }
    }

    private void loop() throws InterruptedException {
        Duration idle = timing.pollInterval();
        while (running) {
            boolean holds;
            try {
                holds = lock.tryHold();
            } catch (RuntimeException e) {
                failed(e);
                continue;
            }
            if (!holds) {
                if (active) {
                    log.warn("outbox relay is now a standby");
                    relay.forget();
                }
                active = false;
                succeeded();
                sleep(timing.standbyRetry());
                continue;
            }
            active = true;
            OutboxRelay.Step step;
            stepStartedAt = clock.instant();
            try {
                step = relay.step();
            } catch (InterruptedException e) {
                if (running) {
                    throw e;
                }
                break;
            } catch (Exception e) {
                lock.verifyNext(); // the lock's session may be what failed
                failed(e);
                continue;
            } finally {
                stepStartedAt = null;
            }
            succeeded();
            if (step.read() >= relay.batchSize()) {
                idle = timing.pollInterval();
            } else if (waker.notifies() && (step.read() > 0 || relay.hasInFlight())) {
                // rows keep coming, or acknowledgements are pending: poll at the short interval; a listener
                // would be woken once per committed row (see PostgresNotifyWaker)
                waker.stopListening();
                await(timing.pollInterval());
            } else if (waker.notifies()) {
                // drained: listen; a row committed before the LISTEN took effect is found by one more step
                if (!waker.listen()) {
                    await(timing.maxPollInterval());
                }
            } else if (relay.hasInFlight()) {
                // acknowledgements are pending: come back soon to retire them
                idle = timing.pollInterval();
                await(timing.pollInterval());
            } else {
                idle = step.read() > 0 ? timing.pollInterval() : min(timing.maxPollInterval(), idle.multipliedBy(2));
                await(idle);
            }
        }
    }

    private void failed(Exception e) throws InterruptedException {
        long attempt = ++failures;
        if (failingSince == null) {
            failingSince = clock.instant();
        }
        lastError = Secrets.describe(FailureLog.root(e));
        listener.failure(e);
        Duration backoff = min(timing.maxBackoff(), timing.pollInterval().multipliedBy(1L << Math.min(attempt, 10)));
        failureLog.failed(e, attempt, backoff.toMillis());
        sleep(backoff);
    }

    private void succeeded() {
        if (failures > 0) {
            log.info("outbox relay resumed after {} failed attempts", failures);
            failureLog.recovered();
        }
        failures = 0;
        failingSince = null;
        lastError = null;
        lastSuccess = clock.instant();
    }

    /** Waits on the waker; {@link #stop()} interrupts only this wait, never a step. */
    private void await(Duration duration) throws InterruptedException {
        synchronized (this) {
            if (!running) {
                return;
            }
            waiting = true;
        }
        try {
            waker.await(duration);
        } catch (InterruptedException e) {
            if (running) {
                throw e;
            }
        } finally {
            synchronized (this) {
                waiting = false;
                Thread.interrupted(); // a stop's interrupt is spent here, so the drain can wait
            }
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

    /** Stops after the current step, drains, lets go of the lock; waits up to {@code timeout} for all that. */
    public void stop(Duration timeout) {
        Thread t;
        synchronized (this) {
            running = false;
            t = thread;
            if (waiting && t != null) {
                t.interrupt();
            }
        }
        synchronized (pause) {
            pause.notifyAll();
        }
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(timeout.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
