package io.switchboard.relay.relay;

import io.switchboard.relay.outbox.OutboxRow;
import io.switchboard.relay.outbox.OutboxSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The relay's steps, pipelined: each step retires the batches Kafka has acknowledged (deleting their rows, oldest
 * batch first), then reads the next rows in id order above those still in flight, sends them (or dead-letters
 * them) and returns without waiting for their acknowledgements, so a new row never waits for the previous batch's
 * round trip. At most {@code maxInFlight} batches are in flight; past that a step waits for the oldest.
 *
 * <p>Nothing is deleted before Kafka acknowledged it. When an acknowledgement fails or takes longer than
 * {@code ackTimeout}, the step throws and forgets everything in flight: those rows are still in the table and are
 * read again from the start, so rows may be published twice around a crash or an outage (the publisher's dedupe
 * absorbs that), never lost. Order per aggregate holds because rows are sent in id order through an idempotent
 * producer, which keeps the order of a partition's in-flight batches.
 */
public final class OutboxRelay {

    /**
     * What one step did: {@code read} rows read and sent; {@code published} and {@code deadLettered} rows retired
     * (acknowledged and deleted), with the commit times of those published, for the lag.
     */
    public record Step(int read, int published, int deadLettered, List<Instant> createdAt) {}

    private record Batch(
            List<Long> ids, CompletableFuture<Void> acks, List<Instant> createdAt, int deadLettered, Instant sentAt) {}

    private final OutboxSource source;
    private final OutboxEventMapper mapper;
    private final EventSink sink;
    private final int batchSize;
    private final int maxInFlight;
    private final Duration ackTimeout;
    private final Clock clock;
    private final Deque<Batch> inFlight = new ArrayDeque<>();
    private long highestSent = -1;

    public OutboxRelay(
            OutboxSource source,
            OutboxEventMapper mapper,
            EventSink sink,
            int batchSize,
            int maxInFlight,
            Duration ackTimeout,
            Clock clock) {
        this.source = source;
        this.mapper = mapper;
        this.sink = sink;
        this.batchSize = batchSize;
        this.maxInFlight = maxInFlight;
        this.ackTimeout = ackTimeout;
        this.clock = clock;
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
            Retired retired = new Retired();
            retire(retired, false);
            if (inFlight.size() >= maxInFlight) {
                retire(retired, true);
            }
            List<OutboxRow> rows = source.fetch(highestSent, batchSize);
            if (!rows.isEmpty()) {
                send(rows);
                retire(retired, false); // acknowledgements may already be there
            }
            return new Step(rows.size(), retired.published, retired.deadLettered, retired.createdAt);
        } catch (InterruptedException | ExecutionException | TimeoutException | RuntimeException e) {
            forget();
            throw e;
        }
    }

    /** Waits for everything in flight and retires it (on shutdown). */
    public void drain() throws InterruptedException, ExecutionException, TimeoutException {
        Retired ignored = new Retired();
        while (!inFlight.isEmpty()) {
            retire(ignored, true);
        }
    }

    private void send(List<OutboxRow> rows) {
        List<CompletableFuture<?>> writes = new ArrayList<>(rows.size());
        List<Long> ids = new ArrayList<>(rows.size());
        List<Instant> published = new ArrayList<>(rows.size());
        int dead = 0;
        for (OutboxRow row : rows) {
            try {
                writes.add(sink.publish(row.aggregateId(), mapper.toEvent(row)));
                published.add(row.createdAt());
            } catch (BadRowException e) {
                writes.add(sink.deadLetter(row, e));
                dead++;
            }
            ids.add(row.id());
        }
        highestSent = rows.get(rows.size() - 1).id();
        inFlight.addLast(new Batch(
                ids,
                CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)),
                published,
                dead,
                clock.instant()));
    }

    private static final class Retired {
        int published;
        int deadLettered;
        final List<Instant> createdAt = new ArrayList<>();
    }

    /** Deletes acknowledged batches, oldest first; with {@code wait}, waits for the oldest one. */
    private void retire(Retired retired, boolean wait)
            throws InterruptedException, ExecutionException, TimeoutException {
        while (!inFlight.isEmpty()) {
            Batch oldest = inFlight.peekFirst();
            if (!oldest.acks().isDone()) {
                Duration age = Duration.between(oldest.sentAt(), clock.instant());
                if (!wait && age.compareTo(ackTimeout) < 0) {
                    return;
                }
                oldest.acks().get(Math.max(0, ackTimeout.minus(age).toMillis()), TimeUnit.MILLISECONDS);
                wait = false;
            }
            oldest.acks().get(); // throws when a write failed
            source.delete(oldest.ids());
            inFlight.removeFirst();
            retired.published += oldest.createdAt().size();
            retired.deadLettered += oldest.deadLettered();
            retired.createdAt.addAll(oldest.createdAt());
        }
        if (inFlight.isEmpty()) {
            highestSent = -1; // read from the start again: a row that committed late below the old cursor is found
        }
    }

    private void forget() {
        inFlight.clear();
        highestSent = -1;
    }
}
