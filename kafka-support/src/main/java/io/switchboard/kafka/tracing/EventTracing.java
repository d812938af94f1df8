package io.switchboard.kafka.tracing;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * W3C trace context from stage to stage (docs/tracing.md). The context travels in the event's own {@code headers}
 * map (RealtimeEvent, then ChannelPublish: contracts section 2), so it survives every hop, a dead-letter topic and a
 * replay: each stage starts a span for the event, child of the {@code traceparent} it finds there (or the first of
 * a new trace), and hands its own context on in the headers of what it writes.
 *
 * <p>Written by hand over Micrometer Tracing's {@link Tracer} and {@link Propagator}: spring-kafka's observations do
 * this for record listeners and templates through Kafka headers, but the router and the publisher consume in
 * batches (no observation there) and the context must also ride inside the Avro record.
 */
public final class EventTracing {

    public static final String TRACEPARENT = "traceparent";
    /** The span tag naming the event. */
    public static final String EVENT_ID_TAG = "switchboard.event_id";

    /** No tracer on the classpath or in the context: spans are no-ops, headers pass through. */
    public static final EventTracing NOOP = new EventTracing(Tracer.NOOP, Propagator.NOOP);

    private final Tracer tracer;
    private final Propagator propagator;

    public EventTracing(Tracer tracer, Propagator propagator) {
        this.tracer = tracer;
        this.propagator = propagator;
    }

    /** A started span for one event at one stage, child of the context in {@code headers} when there is one. */
    public Span start(String name, Map<String, String> headers, String eventId) {
        Span.Builder builder = headers != null && headers.containsKey(TRACEPARENT)
                ? propagator.extract(headers, Map::get)
                : tracer.spanBuilder();
        Span span = builder.name(name).start();
        if (eventId != null) {
            span.tag(EVENT_ID_TAG, eventId);
        }
        return span;
    }

    /** {@code headers} with this span's context as {@code traceparent} (and {@code tracestate}), in a new map. */
    public Map<String, String> inject(Span span, Map<String, String> headers) {
        Map<String, String> out = headers == null ? new LinkedHashMap<>() : new LinkedHashMap<>(headers);
        propagator.inject(span.context(), out, Map::put);
        return out;
    }

    /** Puts the span in scope: log lines written meanwhile carry its trace id (Boot's correlation pattern). */
    public Tracer.SpanInScope inScope(Span span) {
        return tracer.withSpan(span);
    }
}
