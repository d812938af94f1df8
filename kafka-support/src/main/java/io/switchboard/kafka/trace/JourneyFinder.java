package io.switchboard.kafka.trace;

import io.switchboard.kafka.DeadLetterHeaders;
import io.switchboard.schemas.ChannelPublish;
import io.switchboard.schemas.DeliveryReceipt;
import io.switchboard.schemas.RealtimeEvent;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Finds the journeys a {@link TraceQuery} asks about, reading each topic once from a {@link TopicSource}: the events
 * topic, the publish topic, both dead-letter topics and the ledger, keeping only what concerns the events asked
 * about (their ids grow as the topics are read, from an aggregate or a channel to its events), so a long window is
 * never held in memory whole. The one answer logic behind {@code switchboard trace} and the console's search.
 */
public final class JourneyFinder {

    /**
     * The journeys found, in the order their events were first met, and whether the ledger exists (without it the
     * publisher's outcomes are unknown, not absent).
     */
    public record Result(List<Journey> journeys, boolean ledger) {}

    private final TraceTopics topics;
    private final RecordValues values;

    public JourneyFinder(TraceTopics topics, RecordValues values) {
        this.topics = topics;
        this.values = values;
    }

    public Result find(TraceQuery query, TopicSource source) {
        Reading reading = new Reading(source);
        Map<String, Journey> journeys = new LinkedHashMap<>();
        Set<String> ids = new HashSet<>(query.eventIds());
        boolean ledger = source.exists(topics.ledger());
        if (!query.named() && query.channel() != null) { // a channel alone: its events are the ids
            for (ConsumerRecord<byte[], byte[]> record : reading.optional(topics.publish(), r -> {
                Object value = values.eventOrPublish(r);
                return value instanceof ChannelPublish p
                        && p.getChannels().contains(query.channel())
                        && reading.kept(r, p);
            })) {
                ids.add(((ChannelPublish) reading.take(record)).getEventId());
            }
            if (ledger) {
                for (ConsumerRecord<byte[], byte[]> record : reading.optional(topics.ledger(), r -> {
                    DeliveryReceipt receipt = values.receipt(r);
                    return receipt != null
                            && receipt.getChannels().contains(query.channel())
                            && reading.kept(r, receipt);
                })) {
                    ids.add(((DeliveryReceipt) reading.take(record)).getEventId());
                }
            }
        }

        for (ConsumerRecord<byte[], byte[]> record : source.read(topics.events(), r -> {
            Object value = values.eventOrPublish(r);
            return value instanceof RealtimeEvent e && query.wants(e, RecordValues.key(r), ids) && reading.kept(r, e);
        })) {
            RealtimeEvent event = (RealtimeEvent) reading.take(record);
            ids.add(event.getEventId());
            journeys.computeIfAbsent(event.getEventId(), Journey::new).relayed(record, event);
        }
        for (ConsumerRecord<byte[], byte[]> record : reading.optional(topics.publish(), r -> {
            Object value = values.eventOrPublish(r);
            return value instanceof ChannelPublish p
                    && (ids.contains(p.getEventId()) || TraceQuery.copyOf(p.getHeaders(), ids) || ofAggregate(r, query))
                    && reading.kept(r, p);
        })) {
            ChannelPublish publish = (ChannelPublish) reading.take(record);
            ids.add(publish.getEventId());
            journeys.computeIfAbsent(publish.getEventId(), Journey::new).routed(record, publish);
        }
        for (String dlq : List.of(topics.eventsDlq(), topics.publishDlq())) {
            for (ConsumerRecord<byte[], byte[]> record : reading.optional(dlq, r -> {
                String eventId = RecordValues.header(r, DeadLetterHeaders.EVENT_ID);
                return eventId != null && (ids.contains(eventId) || ofAggregate(r, query) || ofOutboxRow(r, query));
            })) {
                String eventId = RecordValues.header(record, DeadLetterHeaders.EVENT_ID);
                ids.add(eventId);
                journeys.computeIfAbsent(eventId, Journey::new)
                        .deadLettered(new Journey.DeadLetter(
                                record,
                                RecordValues.header(record, DeadLetterHeaders.STAGE),
                                RecordValues.header(record, DeadLetterHeaders.REASON),
                                RecordValues.header(record, DeadLetterHeaders.REASON_TEXT),
                                RecordValues.header(record, "switchboard-http-status"),
                                RecordValues.header(record, "switchboard-pusher-message")));
            }
        }
        if (ledger) { // receipts are keyed by event id
            for (ConsumerRecord<byte[], byte[]> record :
                    reading.optional(topics.ledger(), r -> ids.contains(RecordValues.key(r)))) {
                DeliveryReceipt receipt = values.receipt(record);
                if (receipt != null) {
                    journeys.computeIfAbsent(receipt.getEventId(), Journey::new).settled(receipt);
                }
            }
        }
        for (Journey journey : journeys.values()) { // each redelivered copy, told on its original too
            Journey original = journey.replayOf() == null ? null : journeys.get(journey.replayOf());
            if (original != null && original != journey) {
                original.redeliveredAs(journey);
            }
        }
        return new Result(journeys.values().stream().filter(query::selects).toList(), ledger);
    }

    private static boolean ofAggregate(ConsumerRecord<byte[], byte[]> record, TraceQuery query) {
        String key = RecordValues.key(record);
        return key != null && key.equals(query.aggregate());
    }

    /** A relay dead letter of the outbox row asked about: the row never became an event on the events topic. */
    private static boolean ofOutboxRow(ConsumerRecord<byte[], byte[]> record, TraceQuery query) {
        return query.outboxId() != null
                && query.outboxId().equals(RecordValues.header(record, DeadLetterHeaders.OUTBOX_ID));
    }

    /** One find's reads: values decoded by a read's filter for the records it kept, until the caller takes them. */
    private static final class Reading {
        private final TopicSource source;
        private final Map<ConsumerRecord<byte[], byte[]>, Object> decoded = new IdentityHashMap<>();

        Reading(TopicSource source) {
            this.source = source;
        }

        /** An optional topic that does not exist (no dead letters yet, the ledger off) reads as empty. */
        List<ConsumerRecord<byte[], byte[]>> optional(String topic, Predicate<ConsumerRecord<byte[], byte[]>> keep) {
            return source.exists(topic) ? source.read(topic, keep) : List.of();
        }

        /** Remembers the value a filter decoded for a record it keeps, so that the record is decoded once. */
        boolean kept(ConsumerRecord<byte[], byte[]> record, Object value) {
            decoded.put(record, value);
            return true;
        }

        Object take(ConsumerRecord<byte[], byte[]> record) {
            return decoded.remove(record);
        }
    }
}
