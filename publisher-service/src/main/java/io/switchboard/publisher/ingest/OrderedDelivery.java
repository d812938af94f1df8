package io.switchboard.publisher.ingest;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.switchboard.kafka.TransientFailure;
import io.switchboard.kafka.ledger.Ledger;
import io.switchboard.kafka.ledger.Receipts;
import io.switchboard.kafka.tracing.EventTracing;
import io.switchboard.publisher.dedupe.DedupeStore;
import io.switchboard.publisher.publish.Dispatcher;
import io.switchboard.publisher.publish.PusherMessage;
import io.switchboard.publisher.publish.SendResult;
import io.switchboard.schemas.ChannelPublish;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Delivers one poll of ChannelPublish records, in order per Kafka key and with the keys in parallel: the records
 * are sorted into one queue per key; the head of every queue is offered to the dispatcher, and a key's next record
 * is offered as soon as the previous one is settled (so no two records of a key are ever in flight together, and
 * no key waits for another). A record is settled when Pusher accepted it (then it is recorded in the dedupe store)
 * or when Kafka acknowledged its dead letter.
 *
 * <p>One rule for every failure that leaves a record unsettled (the circuit breaker opened, Pusher was still rate
 * limiting when a request's retries ran out, a dead-letter write failed): nothing more is offered, what is in flight is awaited (and recorded if Pusher accepted it), and the
 * first record that is not settled is reported with a {@link TransientFailure}. It and everything after it must
 * be consumed again; nothing after it may be committed, whichever key it belongs to.
 */
public final class OrderedDelivery {

    private final Dispatcher dispatcher;
    private final DedupeStore dedupe;
    private final BiConsumer<ConsumerRecord<?, ?>, PublishFailedException> deadLetters;
    private final PublisherMetrics metrics;
    private final Ledger ledger;
    private final EventTracing tracing;
    private final Clock clock;

    /**
     * @param deadLetters writes a record to the dead-letter topic and returns once the write is acknowledged
     */
    public OrderedDelivery(
            Dispatcher dispatcher,
            DedupeStore dedupe,
            BiConsumer<ConsumerRecord<?, ?>, PublishFailedException> deadLetters,
            PublisherMetrics metrics) {
        this(dispatcher, dedupe, deadLetters, metrics, Ledger.OFF, EventTracing.NOOP, Clock.systemUTC());
    }

    /**
     * @param ledger receives a receipt for every record published and for the channels skipped as duplicates (dead
     *     letters get theirs from the dead-letter policy, once Kafka acknowledged them)
     * @param tracing a span per record, child of the router's ({@code headers.traceparent}), from its offer to
     *     Pusher until it is settled
     */
    public OrderedDelivery(
            Dispatcher dispatcher,
            DedupeStore dedupe,
            BiConsumer<ConsumerRecord<?, ?>, PublishFailedException> deadLetters,
            PublisherMetrics metrics,
            Ledger ledger,
            EventTracing tracing,
            Clock clock) {
        this.dispatcher = dispatcher;
        this.dedupe = dedupe;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.ledger = ledger;
        this.tracing = tracing;
        this.clock = clock;
    }

    /**
     * What became of a poll: every record settled ({@link #SETTLED}), or the index of the first record that is
     * not, and why (a transient failure: the records from it onwards are consumed again, never dead-lettered).
     */
    public record Result(int firstUnsettled, TransientFailure cause) {

        public static final Result SETTLED = new Result(-1, null);

        public boolean settled() {
            return firstUnsettled < 0;
        }
    }

    /** Delivers the records and returns when every one is settled, or when delivery stopped (see {@link Result}). */
    public Result settle(List<ConsumerRecord<String, ChannelPublish>> records) throws InterruptedException {
        return new Poll(records).deliver();
    }

    /**
     * {@link #settle} for callers that need only the index (the benchmarks): -1 when every record is settled, else
     * the first that is not.
     */
    public int deliver(List<ConsumerRecord<String, ChannelPublish>> records) throws InterruptedException {
        return settle(records).firstUnsettled();
    }

    /**
     * One poll's delivery: a queue of record indexes per key, what is settled, what is in flight, and the dedupe
     * state. Dedupe is per (event id, channel), as in the store: the store is asked once at the start (for the union
     * of an event's channels when its id comes more than once); what this poll delivers is remembered, so an event
     * that appears twice in one poll reaches each of its channels once, and the union of its channels; it is written
     * to the store once per round of Pusher's answers.
     */
    private final class Poll {
        private final List<ConsumerRecord<String, ChannelPublish>> records;
        /** The queues: the first record of each key, and after each record the next of its key (-1: none). */
        private final List<Integer> heads = new ArrayList<>();

        private final int[] nextOfKey;
        private final boolean[] settled;
        /** Each record's span while it is offered and unsettled. */
        private final Span[] spans;

        private final Map<PusherMessage, Integer> sent;
        private final Dispatcher.Session session = dispatcher.session();
        private final Map<String, List<String>> undeliveredAtStart;
        /** What this poll delivered, by event id; null when no event id comes twice in the poll (the usual case). */
        private final Map<String, List<String>> deliveredHere;

        private Map<String, List<String>> unrecorded = new LinkedHashMap<>();
        /** Why delivery stopped (nothing more is offered); null while it goes on. */
        private TransientFailure stopped;

        Poll(List<ConsumerRecord<String, ChannelPublish>> records) {
            this.records = records;
            this.settled = new boolean[records.size()];
            this.spans = new Span[records.size()];
            this.nextOfKey = new int[records.size()];
            // sized for the poll: growing them a few times per poll showed in profiles
            int capacity = records.size() * 4 / 3 + 1;
            this.sent = new IdentityHashMap<>(records.size());
            Map<String, Integer> lastOfKey = new HashMap<>(capacity);
            Map<String, List<String>> question = new LinkedHashMap<>(capacity);
            boolean repeats = false;
            for (int i = 0; i < records.size(); i++) {
                nextOfKey[i] = -1;
                String key = records.get(i).key();
                Integer last = key == null ? null : lastOfKey.put(key, i); // no key, no order to keep
                if (last == null) {
                    heads.add(i);
                } else {
                    nextOfKey[last] = i;
                }
                ChannelPublish publish = records.get(i).value();
                List<String> before = question.putIfAbsent(publish.getEventId(), publish.getChannels());
                if (before != null) {
                    repeats = true;
                    if (!before.containsAll(publish.getChannels())) { // ask about every channel of the event
                        question.put(publish.getEventId(), union(before, publish.getChannels()));
                    }
                }
            }
            this.deliveredHere = repeats ? new HashMap<>(capacity) : null;
            this.undeliveredAtStart = dedupe.undelivered(question);
        }

        Result deliver() throws InterruptedException {
            heads.forEach(this::offerNext);
            try {
                for (Dispatcher.Settled done = session.next(); done != null; done = session.next()) {
                    int index = sent.remove(done.message());
                    if (done.result().status() != SendResult.Status.DELIVERED
                            && !done.reached().isEmpty()) {
                        // parts of a cut message that Pusher accepted: remembered, so that the record, consumed
                        // again or replayed from the dead-letter topic, does not reach those channels twice
                        remember(done.message().eventId(), done.reached());
                    }
                    if (!done.result().decided()) {
                        stopUndecided(done); // what is in flight still comes back
                        continue;
                    }
                    settle(index, done.message(), done.result());
                    if (stopped == null) {
                        offerNext(nextOfKey[index]);
                    }
                    if (!session.ready()) {
                        record(); // before waiting for Pusher again
                    }
                }
            } finally {
                record(); // also when delivery stopped: what Pusher accepted is remembered
                for (Span span : spans) {
                    if (span != null) { // offered, not settled: consumed again
                        span.tag("switchboard.outcome", "unsettled").end();
                    }
                }
            }
            for (int i = 0; i < settled.length; i++) {
                if (!settled[i]) {
                    return new Result(i, stopped);
                }
            }
            return Result.SETTLED;
        }

        private void stop(TransientFailure why) {
            if (stopped == null) {
                stopped = why;
            }
        }

        /** Pusher decided nothing (circuit open, rate limited): the record stays unsettled, never dead-lettered. */
        private void stopUndecided(Dispatcher.Settled done) {
            if (stopped == null) {
                SendResult result = done.result();
                stopped = result.status() == SendResult.Status.RATE_LIMITED
                        ? new RateLimitedException(done.message().eventId(), result.attempts())
                        : new CircuitOpenException();
            }
        }

        /**
         * Offers the first record, from this index on in its key's queue, that still has channels to reach; records
         * that have none are settled.
         */
        private void offerNext(int first) {
            for (int index = first; index >= 0; index = nextOfKey[index]) {
                ChannelPublish publish = records.get(index).value();
                Span span = tracing.start("publish", publish.getHeaders(), publish.getEventId());
                PusherMessage message = undelivered(records.get(index));
                if (message == null) {
                    span.tag("switchboard.outcome", "skipped_duplicate").end();
                    settled[index] = true;
                    continue;
                }
                spans[index] = span;
                sent.put(message, index);
                session.offer(message);
                return;
            }
        }

        /** The message for the channels this event has not reached yet, or null when it reached them all. */
        private PusherMessage undelivered(ConsumerRecord<String, ChannelPublish> record) {
            ChannelPublish publish = record.value();
            List<String> atStart = undeliveredAtStart.getOrDefault(publish.getEventId(), publish.getChannels());
            List<String> channels = atStart;
            if (deliveredHere != null) {
                // some event id comes twice in this poll: the store was asked about the union of its channels, and
                // this record may have reached some of its own already
                List<String> here = deliveredHere.getOrDefault(publish.getEventId(), List.of());
                channels = publish.getChannels().stream()
                        .filter(c -> atStart.contains(c) && !here.contains(c))
                        .toList();
            }
            int skipped = publish.getChannels().size() - channels.size();
            metrics.dedupeHits(skipped);
            if (skipped > 0 && ledger != Ledger.OFF) {
                List<String> reachable = channels;
                ledger.write(receipt(record, Receipts.Outcome.SKIPPED_DUPLICATE)
                        .setChannels(publish.getChannels().stream()
                                .filter(c -> !reachable.contains(c))
                                .toList())
                        .build());
            }
            if (channels.isEmpty()) {
                return null;
            }
            return new PusherMessage(
                    publish.getEventId(), publish.getName(), channels, publish.getData(), publish.getSocketId());
        }

        private void settle(int index, PusherMessage message, SendResult result) {
            Span span = spans[index];
            spans[index] = null;
            try (Tracer.SpanInScope scope = span == null ? null : tracing.inScope(span)) {
                settle(index, message, result, span);
            } finally {
                if (span != null) {
                    span.end();
                }
            }
        }

        private void settle(int index, PusherMessage message, SendResult result, Span span) {
            ConsumerRecord<String, ChannelPublish> record = records.get(index);
            if (span != null) {
                span.tag("switchboard.outcome", result.status().name().toLowerCase(java.util.Locale.ROOT))
                        .tag("switchboard.attempts", Integer.toString(result.attempts()));
            }
            if (result.status() == SendResult.Status.DELIVERED) {
                remember(message.eventId(), message.channels());
                metrics.published(record.value(), message.channels().size());
                if (ledger != Ledger.OFF) {
                    ledger.write(receipt(record, Receipts.Outcome.PUBLISHED)
                            .setChannels(message.channels())
                            .setAttempts(result.attempts())
                            .setHttpStatus(
                                    result.outcome() == null
                                            ? null
                                            : result.outcome().httpStatus())
                            .build());
                }
            } else {
                try {
                    deadLetters.accept(record, new PublishFailedException(message.eventId(), result));
                } catch (RuntimeException e) {
                    stop(new DeadLetterWriteFailed(message.eventId(), e)); // not settled: consumed again
                    return;
                }
            }
            settled[index] = true;
        }

        /** Channels this event reached: recorded in the store with the next write, and known to this poll. */
        private void remember(String eventId, List<String> channels) {
            if (deliveredHere != null) {
                // an event seldom comes twice in one poll: its channel list is kept as it is, copied only then
                deliveredHere.merge(eventId, channels, OrderedDelivery::concat);
            }
            unrecorded.merge(eventId, channels, OrderedDelivery::concat);
        }

        /** Writes the deliveries not yet recorded, in one call. */
        private void record() {
            if (!unrecorded.isEmpty()) {
                Map<String, List<String>> deliveries = unrecorded;
                unrecorded = new LinkedHashMap<>();
                dedupe.delivered(deliveries);
            }
        }
    }

    private Receipts.Draft receipt(ConsumerRecord<String, ChannelPublish> record, Receipts.Outcome outcome) {
        return receipt(record, outcome, clock);
    }

    /** A publisher receipt about a ChannelPublish record, with what the record says (type, times). */
    public static Receipts.Draft receipt(
            ConsumerRecord<?, ChannelPublish> record, Receipts.Outcome outcome, Clock clock) {
        ChannelPublish publish = record.value();
        return Receipts.about(record, publish.getEventId(), Receipts.PUBLISHER, outcome, clock.instant())
                .setType(publish.getName())
                .setCommittedAt(publish.getOccurredAt())
                .setRoutedAt(publish.getRoutedAt());
    }

    private static List<String> union(List<String> a, List<String> b) {
        List<String> both = new ArrayList<>(a);
        b.stream().filter(c -> !a.contains(c)).forEach(both::add);
        return both;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> both = new ArrayList<>(a.size() + b.size());
        both.addAll(a);
        both.addAll(b);
        return both;
    }
}
