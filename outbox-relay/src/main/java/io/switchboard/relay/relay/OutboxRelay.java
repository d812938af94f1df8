package io.switchboard.relay.relay;

import io.switchboard.relay.outbox.OutboxRow;
import io.switchboard.relay.outbox.OutboxSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One relay step: read a batch of rows in id order, send each (or dead-letter it), wait until every write is
 * acknowledged, and only then delete the batch. A failure deletes nothing, so the batch is read again: rows may be
 * published twice around a crash or an outage (the publisher's dedupe absorbs that), never lost.
 */
public final class OutboxRelay {

    /** What one step did; {@code createdAt} holds the commit times of the rows published, for the lag. */
    public record Step(int read, int published, int deadLettered, List<Instant> createdAt) {
        public Step(int read, int published, int deadLettered) {
            this(read, published, deadLettered, List.of());
        }
    }

    private final OutboxSource source;
    private final OutboxEventMapper mapper;
    private final EventSink sink;
    private final int batchSize;
    private final Duration ackTimeout;

    public OutboxRelay(
            OutboxSource source, OutboxEventMapper mapper, EventSink sink, int batchSize, Duration ackTimeout) {
        this.source = source;
        this.mapper = mapper;
        this.sink = sink;
        this.batchSize = batchSize;
        this.ackTimeout = ackTimeout;
    }

    public int batchSize() {
        return batchSize;
    }

    public Step step() throws InterruptedException, ExecutionException, TimeoutException {
        List<OutboxRow> rows = source.fetch(batchSize);
        if (rows.isEmpty()) {
            return new Step(0, 0, 0, List.of());
        }
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
        sink.flush();
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new))
                .get(ackTimeout.toMillis(), TimeUnit.MILLISECONDS);
        source.delete(ids);
        return new Step(rows.size(), rows.size() - dead, dead, published);
    }
}
