package io.switchboard.relay.relay;

import io.switchboard.relay.outbox.OutboxRow;
import io.switchboard.relay.outbox.OutboxSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The relay's steps, pipelined: each step retires the batches Kafka has acknowledged (deleting their rows, oldest
 * batch first), then reads the oldest rows that are not in flight, sends them (or dead-letters
 * them) and returns without waiting for their acknowledgements, so a new row never waits for the previous batch's
 * round trip. Each read starts from the oldest row not yet deleted and skips the rows in flight: a row that commits
 * after rows with higher ids is found by the next read, before any row its writer inserted after it
 * ({@link OutboxSource}). At most {@code maxInFlight} batches are in flight; past that a step waits for the oldest.
 *
 * <p>Nothing is deleted before Kafka acknowledged it. When an acknowledgement fails or takes longer than
 * {@code ackTimeout}, the step throws and forgets everything in flight: those rows are still in the table and are
 * read again from the start, so rows may be published twice around a crash or an outage (the publisher's dedupe
 * absorbs that), never lost. Order per aggregate holds because each read returns rows in id order, sent through an idempotent
 * producer, which keeps the order of a partition's in-flight batches.
 *
 * <p>A record Kafka refuses for good (a {@link BadRowException} from the sink) never blocks: the row is
 * dead-lettered instead. A dead letter Kafka refuses for good is replaced by a metadata-only one; only when Kafka
 * refuses even that (a topic-wide problem, not the row's) does the step fail and the row stay.
 */
public final class OutboxRelay {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    /** What one step did: rows read and sent, rows retired (acknowledged and deleted) as events and dead letters. */
    public record Step(int read, int published, int deadLettered) {}

    /** One row's write: its event, or (with a letter) its dead letter. */
    private record Write(OutboxRow row, CompletableFuture<?> ack, DeadLetter letter) {}

    private record Batch(List<Write> writes, CompletableFuture<Void> acks, Instant sentAt) {}

    private final OutboxSource source;
    private final OutboxEventMapper mapper;
    private final EventSink sink;
    private final RelayListener listener;
    private final int batchSize;
    private final int maxInFlight;
    private final Duration ackTimeout;
    private final Clock clock;
    private final Deque<Batch> inFlight = new ArrayDeque<>();
    /** The ids of the rows in flight: sent, not yet deleted; the next reads skip them. */
    private final Set<Long> sent = new HashSet<>();

    public OutboxRelay(
            OutboxSource source,
            OutboxEventMapper mapper,
            EventSink sink,
            RelayListener listener,
            int batchSize,
            int maxInFlight,
            Duration ackTimeout,
            Clock clock) {
        if (batchSize < 1 || maxInFlight < 1 || ackTimeout.isNegative() || ackTimeout.isZero()) {
            throw new IllegalArgumentException("batchSize and maxInFlight must be at least 1, ackTimeout positive");
        }
        this.source = Objects.requireNonNull(source, "source");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.batchSize = batchSize;
        this.maxInFlight = maxInFlight;
        this.ackTimeout = ackTimeout;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public int batchSize() {
        return batchSize;
    }

    /** True while sent batches wait for their acknowledgements. */
    public boolean hasInFlight() {
        return !inFlight.isEmpty();
    }

    public Step step() throws InterruptedException, ExecutionException, TimeoutException {
        try {
            Step retired = retire(new Step(0, 0, 0), false);
            if (inFlight.size() >= maxInFlight) {
                retired = retire(retired, true);
            }
            List<OutboxRow> rows = source.fetch(sent, batchSize);
            if (!rows.isEmpty()) {
                send(rows);
                retired = retire(retired, false); // acknowledgements may already be there
            }
            return new Step(rows.size(), retired.published(), retired.deadLettered());
        } catch (InterruptedException e) {
            throw e; // what is in flight is still valid: a drain may retire it
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            forget();
            throw e;
        }
    }

    /**
     * Waits for everything in flight (each batch at most {@code ackTimeout}) and retires it: on shutdown, so a
     * successor publishes again as little as possible.
     */
    public void drain() throws InterruptedException, ExecutionException, TimeoutException {
        Step retired = new Step(0, 0, 0);
        while (!inFlight.isEmpty()) {
            retired = retire(retired, true);
        }
    }

    /** Forgets everything in flight (the lock was lost, or a step failed): the rows are read again from the start. */
    public void forget() {
        inFlight.clear();
        sent.clear();
    }

    private void send(List<OutboxRow> rows) {
        List<Write> writes = new ArrayList<>(rows.size());
        for (OutboxRow row : rows) {
            DeadLetter letter = null;
            CompletableFuture<?> ack;
            try {
                ack = sink.publish(row, mapper.toEvent(row));
            } catch (BadRowException e) {
                letter = DeadLetter.of(row, e);
                DeadLetter l = letter;
                ack = call(() -> sink.deadLetter(l));
            }
            writes.add(new Write(row, ack, letter));
        }
        rows.forEach(row -> sent.add(row.id()));
        inFlight.addLast(new Batch(
                writes,
                CompletableFuture.allOf(writes.stream().map(Write::ack).toArray(CompletableFuture[]::new)),
                clock.instant()));
    }

    /** Deletes acknowledged batches, oldest first; with {@code wait}, waits for the oldest one. */
    private Step retire(Step retired, boolean wait) throws InterruptedException, ExecutionException, TimeoutException {
        while (!inFlight.isEmpty()) {
            Batch oldest = inFlight.peekFirst();
            if (!oldest.acks().isDone()) {
                Duration age = Duration.between(oldest.sentAt(), clock.instant());
                if (!wait && age.compareTo(ackTimeout) < 0) {
                    return retired;
                }
                try {
                    oldest.acks().get(Math.max(0, ackTimeout.minus(age).toMillis()), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    // each write is looked at below
                }
                wait = false;
            }
            retired = settle(oldest, retired);
            inFlight.removeFirst();
            oldest.writes().forEach(w -> sent.remove(w.row().id()));
        }
        return retired;
    }

    /**
     * Deletes the rows of a batch whose writes are all done. Rows Kafka refused for good are dead-lettered first. A
     * write that failed otherwise fails the step: only the batch's dead-lettered rows are deleted then (that cannot
     * reorder events), the rest is read again.
     */
    private Step settle(Batch batch, Step retired) throws InterruptedException, ExecutionException, TimeoutException {
        List<OutboxRow> published = new ArrayList<>();
        List<DeadLetter> dead = new ArrayList<>();
        Throwable failure = null;
        for (Write write : batch.writes()) {
            Throwable error = failureOf(write.ack());
            if (error == null) {
                if (write.letter() == null) {
                    published.add(write.row());
                } else {
                    dead.add(write.letter());
                }
                continue;
            }
            BadRowException refused = refusal(error);
            if (refused == null) {
                failure = failure == null ? error : failure;
            } else if (write.letter() == null) {
                dead.add(deadLetterNow(DeadLetter.of(write.row(), refused)));
            } else if (!write.letter().metadataOnly()) {
                dead.add(deadLetterNow(write.letter().metadataOnly(refused)));
            } else {
                failure = failure == null ? refused : failure;
            }
        }
        if (failure != null) {
            retireDead(dead);
            throw new ExecutionException("a write of outbox rows failed: " + failure.getMessage(), failure);
        }
        List<Long> ids = new ArrayList<>(published.size() + dead.size());
        published.forEach(r -> ids.add(r.id()));
        dead.forEach(d -> ids.add(d.row().id()));
        source.delete(ids);
        published.forEach(listener::published);
        dead.forEach(this::deadLettered);
        return new Step(retired.read(), retired.published() + published.size(), retired.deadLettered() + dead.size());
    }

    private void retireDead(List<DeadLetter> dead) {
        if (!dead.isEmpty()) {
            source.delete(dead.stream().map(d -> d.row().id()).toList());
            dead.forEach(this::deadLettered);
        }
    }

    private void deadLettered(DeadLetter letter) {
        // written after the row's span ended (once Kafka acknowledged the dead letter): the row's own trace id goes
        // into the MDC by hand, so the line carries it in Boot's correlation pattern like every other stage's
        String traceId = traceIdOf(letter.row().traceparent());
        if (traceId != null) {
            MDC.put("traceId", traceId);
        }
        try {
            log.warn(
                    "outbox row {} (event {}) dead-lettered{}: {} {}",
                    letter.row().id(),
                    letter.row().eventId(),
                    letter.metadataOnly() ? " (metadata only)" : "",
                    letter.reason(),
                    letter.text());
        } finally {
            if (traceId != null) {
                MDC.remove("traceId");
            }
        }
        listener.deadLettered(letter);
    }

    /** The trace id of a W3C traceparent ({@code 00-<32 hex>-<16 hex>-<2 hex>}), or null when it is not one. */
    static String traceIdOf(String traceparent) {
        if (traceparent == null) {
            return null;
        }
        String[] parts = traceparent.strip().split("-");
        return parts.length == 4 && parts[1].matches("[0-9a-f]{32}") && !parts[1].matches("0{32}") ? parts[1] : null;
    }

    /** Writes a dead letter and waits for it; when Kafka refuses it for good, writes the metadata-only one. */
    private DeadLetter deadLetterNow(DeadLetter letter)
            throws InterruptedException, ExecutionException, TimeoutException {
        try {
            call(() -> sink.deadLetter(letter)).get(ackTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return letter;
        } catch (ExecutionException e) {
            BadRowException refused = refusal(e.getCause());
            if (refused == null || letter.metadataOnly()) {
                throw e;
            }
            DeadLetter fallback = letter.metadataOnly(refused);
            call(() -> sink.deadLetter(fallback)).get(ackTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return fallback;
        }
    }

    private static CompletableFuture<?> call(Supplier<CompletableFuture<?>> write) {
        try {
            return write.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The failure of a completed write, or null when it succeeded. */
    private static Throwable failureOf(CompletableFuture<?> ack) {
        try {
            ack.getNow(null);
            return null;
        } catch (CompletionException e) {
            return e.getCause() == null ? e : e.getCause();
        } catch (CancellationException e) {
            return e;
        }
    }

    /** The {@link BadRowException} in the chain: Kafka refused the record for good. */
    private static BadRowException refusal(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof BadRowException bad) {
                return bad;
            }
        }
        return null;
    }
}
