package io.switchboard.router.ingest;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.switchboard.kafka.DeadLetterPolicy;
import io.switchboard.kafka.TransientFailure;
import io.switchboard.kafka.ledger.Ledger;
import io.switchboard.kafka.ledger.Receipts;
import io.switchboard.kafka.tracing.EventTracing;
import io.switchboard.router.config.RouterProperties;
import io.switchboard.router.guard.ProgressGuard;
import io.switchboard.router.routing.EventRouter;
import io.switchboard.schemas.ChannelPublish;
import io.switchboard.schemas.RealtimeEvent;
import io.switchboard.schemas.wire.WireFormatException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.log.LogAccessor;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.kafka.support.serializer.SerializationUtils;
import org.springframework.stereotype.Component;

/**
 * Consumes realtime.events a poll at a time and settles every record: routed (its publish acknowledged on
 * realtime.publish), dropped by the progress guard, or dead-lettered with its reason (acknowledged on the DLQ).
 *
 * <p>Data errors are dead-lettered here, in the poll, and the poll goes on. When an output is not acknowledged in
 * {@code sendTimeout} (realtime.publish or the DLQ unavailable) or the schema registry cannot be reached, nothing
 * is dead-lettered: the guard saves the decisions of the records before the first unsettled one, the listener throws
 * a {@link TransientFailure} at that record, spring-kafka commits the records before it and consumes again from it
 * after a backoff (DeadLetterPolicy), for as long as it takes. The guard's memory advances only for records whose
 * outputs are durable.
 */
@Component
public class RealtimeEventListener {

    private static final LogAccessor LOG = new LogAccessor(LogFactory.getLog(RealtimeEventListener.class));
    private static final Logger log = LoggerFactory.getLogger(RealtimeEventListener.class);

    /** The ChannelPublish header naming the rule that routed it. */
    public static final String RULE_HEADER = "switchboard-rule";

    private final EventRouter router;
    private final ProgressGuard guard;
    private final KafkaTemplate<String, ChannelPublish> template;
    private final DeadLetterPublishingRecoverer deadLetters;
    private final RouterMetrics metrics;
    private final Ledger ledger;
    private final EventTracing tracing;
    private final Clock clock;
    private final String outputTopic;
    private final Duration sendTimeout;

    public RealtimeEventListener(
            EventRouter router,
            ProgressGuard guard,
            KafkaTemplate<String, ChannelPublish> template,
            DeadLetterPublishingRecoverer deadLetters,
            RouterMetrics metrics,
            RouterProperties properties,
            Ledger ledger,
            EventTracing tracing,
            Clock clock) {
        this.router = router;
        this.guard = guard;
        this.template = template;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.ledger = ledger;
        this.tracing = tracing;
        this.clock = clock;
        this.outputTopic = properties.outputTopic();
        this.sendTimeout = properties.sendTimeout();
    }

    @KafkaListener(
            id = "router",
            groupId = "${spring.kafka.consumer.group-id}",
            topics = "${switchboard.router.input-topic}",
            batch = "true")
    public void onEvents(List<ConsumerRecord<String, RealtimeEvent>> records) throws InterruptedException {
        int n = records.size();
        ProgressGuard.Poll poll = guard.poll();
        for (ConsumerRecord<String, RealtimeEvent> record : records) {
            if (record.value() != null) {
                poll.expect(
                        record.partition(),
                        record.value().getAggregateId(),
                        record.value().getType());
            }
        }
        poll.preload();
        CompletableFuture<?>[] sends = new CompletableFuture<?>[n];
        EventRouter.Outcome[] outcomes = new EventRouter.Outcome[n];
        long[] nanos = new long[n];
        for (int i = 0; i < n; i++) {
            ConsumerRecord<String, RealtimeEvent> record = records.get(i);
            RealtimeEvent event = record.value();
            // the event's span, child of the relay's (headers.traceparent); none for a record that did not decode
            Span span = event == null ? null : tracing.start("route", event.getHeaders(), event.getEventId());
            try (Tracer.SpanInScope scope = span == null ? null : tracing.inScope(span)) {
                route(records, i, sends, outcomes, nanos, poll, span);
            } finally {
                if (span != null) {
                    span.end();
                }
            }
        }
        int unsettled = settle(records, sends, outcomes, nanos, poll, n);
        if (unsettled < n) {
            throw retryFrom(records, unsettled, new TransientFailure("realtime.publish did not acknowledge in time"));
        }
    }

    /** Routes one record: sends what it routes to, dead-letters what cannot be routed, tags its span. */
    private void route(
            List<ConsumerRecord<String, RealtimeEvent>> records,
            int i,
            CompletableFuture<?>[] sends,
            EventRouter.Outcome[] outcomes,
            long[] nanos,
            ProgressGuard.Poll poll,
            Span span)
            throws InterruptedException {
        ConsumerRecord<String, RealtimeEvent> record = records.get(i);
        long start = System.nanoTime();
        try {
            outcomes[i] = router.route(
                    value(record), (entity, type, payload) -> poll.admit(i, record.partition(), entity, type, payload));
        } catch (RuntimeException e) {
            if (DeadLetterPolicy.isTransient(e)) {
                throw retryFrom(records, settle(records, sends, outcomes, nanos, poll, i), e);
            }
            try {
                deadLetters.accept(record, null, e); // returns once the DLQ acknowledged it
            } catch (RuntimeException dlqFailure) {
                throw retryFrom(records, settle(records, sends, outcomes, nanos, poll, i), dlqFailure);
            }
            if (span != null) {
                span.tag("switchboard.outcome", "dead_lettered");
            }
            return;
        }
        nanos[i] = System.nanoTime() - start;
        if (outcomes[i] instanceof EventRouter.Routed routed) {
            ChannelPublish publish = routed.publish();
            Map<String, String> headers = span != null
                    ? tracing.inject(span, publish.getHeaders()) // the publisher continues the trace
                    : new LinkedHashMap<>(publish.getHeaders());
            headers.put(RULE_HEADER, routed.rule()); // for switchboard trace: which rule chose the channels
            publish.setHeaders(headers);
            if (span != null) {
                span.tag("switchboard.outcome", "routed").tag("switchboard.rule", routed.rule());
            }
            try {
                sends[i] = template.send(outputTopic, record.key(), publish);
            } catch (RuntimeException e) {
                // the producer refused at once (its serializer could not reach the registry, a closed
                // producer): the output failed, not the record
                throw retryFrom(records, settle(records, sends, outcomes, nanos, poll, i), e);
            }
        } else if (outcomes[i] instanceof EventRouter.Dropped dropped && span != null) {
            span.tag("switchboard.outcome", "dropped").tag("switchboard.reason", dropped.reason());
        }
    }

    /**
     * Waits for the sends before {@code end}; saves the guard's decisions and counts the outcomes of the records
     * before the first whose send failed or did not complete in time; returns that record's index ({@code end} when
     * all are durable).
     */
    private int settle(
            List<ConsumerRecord<String, RealtimeEvent>> records,
            CompletableFuture<?>[] sends,
            EventRouter.Outcome[] outcomes,
            long[] nanos,
            ProgressGuard.Poll poll,
            int end)
            throws InterruptedException {
        long deadline = System.nanoTime() + sendTimeout.toNanos();
        int durable = end;
        for (int i = 0; i < end; i++) {
            if (sends[i] != null && !acknowledged(sends[i], deadline, records.get(i))) {
                durable = i;
                break;
            }
        }
        poll.save(durable);
        for (int i = 0; i < durable; i++) {
            if (outcomes[i] instanceof EventRouter.Routed routed) {
                metrics.routed(routed, nanos[i]);
            } else if (outcomes[i] instanceof EventRouter.Dropped dropped) {
                metrics.dropped(dropped);
                RealtimeEvent event = records.get(i).value();
                ledger.write(Receipts.about(
                                records.get(i),
                                event.getEventId(),
                                Receipts.ROUTER,
                                Receipts.Outcome.DROPPED,
                                clock.instant())
                        .setType(event.getType())
                        .setCommittedAt(event.getOccurredAt())
                        .setReason(dropped.reason())
                        .setDetail(dropped.message())
                        .setRule(dropped.rule())
                        .build());
            }
        }
        return durable;
    }

    private static boolean acknowledged(
            CompletableFuture<?> send, long deadline, ConsumerRecord<String, RealtimeEvent> record)
            throws InterruptedException {
        try {
            send.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return true;
        } catch (ExecutionException e) {
            log.warn(
                    "publish of {}-{}@{} failed: {}",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    DeadLetterPolicy.reasonText(e));
            return false;
        } catch (TimeoutException e) {
            return false;
        }
    }

    private BatchListenerFailedException retryFrom(
            List<ConsumerRecord<String, RealtimeEvent>> records, int index, Throwable cause) {
        metrics.outputRetry();
        ConsumerRecord<String, RealtimeEvent> record = records.get(index);
        log.warn(
                "consuming again from {}-{}@{} after a backoff, nothing dead-lettered: {}",
                record.topic(),
                record.partition(),
                record.offset(),
                DeadLetterPolicy.reasonText(cause));
        TransientFailure failure = cause instanceof TransientFailure t
                ? t
                : new TransientFailure(DeadLetterPolicy.reasonText(cause), cause);
        return new BatchListenerFailedException(failure.getMessage(), failure, index);
    }

    /** The event, or the reason there is none: the deserializer's failure, or a tombstone. */
    private static RealtimeEvent value(ConsumerRecord<String, RealtimeEvent> record) {
        if (record.value() != null) {
            return record.value();
        }
        DeserializationException failure = SerializationUtils.getExceptionFromHeader(
                record, SerializationUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER, LOG);
        if (failure != null) {
            throw failure;
        }
        throw new WireFormatException(WireFormatException.Reason.EMPTY, "a tombstone (the record has no value)");
    }
}
