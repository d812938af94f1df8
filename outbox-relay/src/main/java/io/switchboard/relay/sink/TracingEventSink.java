package io.switchboard.relay.sink;

import io.micrometer.tracing.Span;
import io.switchboard.kafka.tracing.EventTracing;
import io.switchboard.relay.outbox.OutboxRow;
import io.switchboard.relay.relay.DeadLetter;
import io.switchboard.relay.relay.EventSink;
import io.switchboard.schemas.RealtimeEvent;
import java.util.concurrent.CompletableFuture;

/**
 * The relay's span for each event: a child of the trace context the writer left in the row (the
 * {@code traceparent} column or header), or the first span of a new trace; it lasts until Kafka acknowledged the
 * record, and its context replaces {@code traceparent} in the event's headers, for the router to continue.
 */
public final class TracingEventSink implements EventSink {

    private final EventSink delegate;
    private final EventTracing tracing;

    public TracingEventSink(EventSink delegate, EventTracing tracing) {
        this.delegate = delegate;
        this.tracing = tracing;
    }

    @Override
    public CompletableFuture<?> publish(OutboxRow row, RealtimeEvent event) {
        Span span = tracing.start("outbox relay", event.getHeaders(), event.getEventId())
                .tag("switchboard.outbox_id", Long.toString(row.id()));
        event.setHeaders(tracing.inject(span, event.getHeaders()));
        CompletableFuture<?> ack;
        try {
            ack = delegate.publish(row, event);
        } catch (RuntimeException e) {
            span.error(e).end();
            throw e;
        }
        return ack.whenComplete((done, error) -> {
            if (error != null) {
                span.error(error);
            }
            span.end();
        });
    }

    @Override
    public CompletableFuture<?> deadLetter(DeadLetter letter) {
        return delegate.deadLetter(letter);
    }
}
