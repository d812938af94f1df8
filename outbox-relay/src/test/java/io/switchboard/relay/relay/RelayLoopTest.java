package io.switchboard.relay.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.switchboard.relay.lock.ReplicaLock;
import io.switchboard.relay.outbox.OutboxRow;
import io.switchboard.relay.outbox.Waker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The loop without Spring, a database or Kafka: health, failure logging, shutdown. */
class RelayLoopTest {

    private static final Duration SHORT = Duration.ofMillis(10);

    private final OutboxRelayTest.InMemoryOutbox outbox = new OutboxRelayTest.InMemoryOutbox();
    private final OutboxRelayTest.ManualSink sink = new OutboxRelayTest.ManualSink();
    private final AtomicBoolean lockHeld = new AtomicBoolean(true);
    private final AtomicBoolean lockClosed = new AtomicBoolean();
    private final ReplicaLock lock = new ReplicaLock() {
        @Override
        public boolean tryHold() {
            return lockHeld.get();
        }

        @Override
        public void close() {
            lockClosed.set(true);
        }
    };
    private RelayLoop loop;

    @AfterEach
    void stop() {
        if (loop != null) {
            loop.stop(Duration.ofSeconds(5));
        }
    }

    private RelayLoop loop(OutboxRelayTest.InMemoryOutbox source, Duration unhealthyAfter) {
        OutboxRelay relay = new OutboxRelay(
                source,
                new OutboxEventMapper("test", 70_000),
                sink,
                RelayListener.NONE,
                10,
                4,
                Duration.ofSeconds(5),
                Clock.systemUTC());
        loop = new RelayLoop(
                relay,
                lock,
                Waker.polling(),
                RelayListener.NONE,
                new RelayLoop.Timing(SHORT, SHORT, SHORT, SHORT, unhealthyAfter),
                Clock.systemUTC());
        return loop;
    }

    private static OutboxRow row(long id) {
        return new OutboxRow(
                id, "e" + id, "audit.progress", "svc", "audit", "A", "{}", null, null, null, Instant.now());
    }

    @Test
    void healthSaysActiveOrStandby() {
        loop(outbox, Duration.ofSeconds(30)).start();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> "active".equals(loop.status().role()));
        assertThat(loop.status().healthy()).isTrue();

        lockHeld.set(false);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> "standby".equals(loop.status().role()));
        assertThat(loop.status().healthy())
                .as("a standby that can ask for the lock is healthy")
                .isTrue();
    }

    @Test
    void healthGoesDownWhenEveryStepFailsAndSaysWhy() {
        OutboxRelayTest.InMemoryOutbox broken = new OutboxRelayTest.InMemoryOutbox() {
            @Override
            public List<OutboxRow> fetch(Set<Long> skip, int limit) {
                throw new IllegalStateException("a bug in every step (password=hunter2)");
            }
        };
        loop(broken, Duration.ofMillis(200)).start();
        await().atMost(Duration.ofSeconds(5)).until(() -> !loop.status().healthy());
        RelayStatus status = loop.status();
        assertThat(status.reason())
                .contains("no progress for")
                .contains("IllegalStateException: a bug in every step")
                .doesNotContain("hunter2");
        assertThat(status.failures()).isPositive();
        assertThat(status.role()).isEqualTo("active");
    }

    @Test
    void healthRecoversOnceAStepSucceedsAgain() {
        AtomicBoolean failing = new AtomicBoolean(true);
        OutboxRelayTest.InMemoryOutbox flaky = new OutboxRelayTest.InMemoryOutbox() {
            @Override
            public List<OutboxRow> fetch(Set<Long> skip, int limit) {
                if (failing.get()) {
                    throw new IllegalStateException("database away");
                }
                return super.fetch(skip, limit);
            }
        };
        loop(flaky, Duration.ofMillis(100)).start();
        await().atMost(Duration.ofSeconds(5)).until(() -> !loop.status().healthy());
        failing.set(false);
        await().atMost(Duration.ofSeconds(5)).until(() -> loop.status().healthy());
        assertThat(loop.status().failures()).isZero();
    }

    @Test
    void anErrorThatKillsTheRelayThreadTakesHealthDownAndLetsGoOfTheLock() {
        OutboxRelayTest.InMemoryOutbox fatal = new OutboxRelayTest.InMemoryOutbox() {
            @Override
            public List<OutboxRow> fetch(Set<Long> skip, int limit) {
                throw new StackOverflowError("a recursive bug");
            }
        };
        loop(fatal, Duration.ofSeconds(30)).start();
        await().atMost(Duration.ofSeconds(5)).until(() -> !loop.status().healthy());
        assertThat(loop.status().reason())
                .contains("the relay thread stopped")
                .contains("StackOverflowError: a recursive bug");
        assertThat(loop.status().role()).isEqualTo("stopped");
        assertThat(lockClosed).as("a standby can take over").isTrue();
        assertThat(loop.active()).isFalse();
    }

    @Test
    void eachDistinctErrorIsLoggedOnceWithItsStackTrace() {
        Logger logger = (Logger) LoggerFactory.getLogger(RelayLoop.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            AtomicInteger calls = new AtomicInteger();
            OutboxRelayTest.InMemoryOutbox broken = new OutboxRelayTest.InMemoryOutbox() {
                @Override
                public List<OutboxRow> fetch(Set<Long> skip, int limit) {
                    int n = calls.incrementAndGet();
                    // two distinct errors, alternating; the numbers in a message do not make it another error
                    throw n % 2 == 0
                            ? new IllegalStateException("timed out after " + n + " ms")
                            : new IllegalArgumentException("bad column");
                }
            };
            loop(broken, Duration.ofSeconds(30)).start();
            await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() >= 8);
            loop.stop(Duration.ofSeconds(5));
            List<ILoggingEvent> failures = List.copyOf(appender.list).stream()
                    .filter(e -> e.getLevel() == Level.WARN)
                    .filter(e -> e.getFormattedMessage().contains("outbox relay"))
                    .toList();
            assertThat(failures.stream().filter(e -> e.getThrowableProxy() != null))
                    .as("one stack trace per distinct error")
                    .hasSize(2);
            assertThat(failures.size()).isGreaterThanOrEqualTo(8);
        } finally {
            logger.detachAppender(appender);
        }
    }

    @Test
    void stoppingDrainsWhatKafkaAcknowledgesBeforeLettingGoOfTheLock() throws Exception {
        sink.manual = true;
        outbox.rows.add(row(1));
        outbox.rows.add(row(2));
        loop(outbox, Duration.ofSeconds(30)).start();
        await().atMost(Duration.ofSeconds(5)).until(() -> sink.acks.size() == 2);

        // Kafka acknowledges a moment after the relay was told to stop: the drain still retires the batch
        Executor later = CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS);
        sink.acks.forEach(a -> a.completeAsync(() -> null, later));
        loop.stop(Duration.ofSeconds(10));
        assertThat(outbox.rows)
                .as("acknowledged rows are deleted before the lock goes")
                .isEmpty();
        assertThat(lockClosed).isTrue();
    }
}
