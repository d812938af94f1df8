package io.switchboard.publisher.ingest;

import io.switchboard.publisher.dedupe.DedupeStore;
import io.switchboard.publisher.publish.Dispatcher;
import io.switchboard.publisher.publish.PusherMessage;
import io.switchboard.publisher.publish.SendResult;
import io.switchboard.schemas.ChannelPublish;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Delivers one poll of ChannelPublish records, in order per Kafka key and with the keys in parallel: the records
 * are sorted into one queue per key; the head of every queue is offered to the dispatcher, and a key's next record
 * is offered as soon as the previous one is settled (so no two records of a key are ever in flight together, and
 * no key waits for another). A record is settled when Pusher accepted it (then it is recorded in the dedupe store) or when it was
 * dead-lettered. When the circuit breaker is open, nothing more is offered, what is in flight is awaited, and the
 * first record that is not settled is reported: it and everything after it must be consumed again.
 */
public final class OrderedDelivery {

    private final Dispatcher dispatcher;
    private final DedupeStore dedupe;
    private final BiConsumer<ConsumerRecord<?, ?>, PublishFailedException> deadLetters;
    private final PublisherMetrics metrics;

    /**
     * @param deadLetters writes a record to the dead-letter topic and returns once the write is acknowledged
     */
    public OrderedDelivery(
            Dispatcher dispatcher,
            DedupeStore dedupe,
            BiConsumer<ConsumerRecord<?, ?>, PublishFailedException> deadLetters,
            PublisherMetrics metrics) {
        this.dispatcher = dispatcher;
        this.dedupe = dedupe;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
    }

    /** Thrown when a record could not be settled (dead-lettering failed): the index says which. */
    public static final class Interrupted extends RuntimeException {
        private final int index;

        Interrupted(int index, RuntimeException cause) {
            super(cause.getMessage(), cause);
            this.index = index;
        }

        public int index() {
            return index;
        }
    }

    /**
     * Delivers the records; returns -1 when all are settled, or the index of the first one that is not (the
     * circuit breaker opened).
     */
    public int deliver(List<ConsumerRecord<String, ChannelPublish>> records) throws InterruptedException {
        Map<Object, Deque<Integer>> queues = new LinkedHashMap<>();
        for (int i = 0; i < records.size(); i++) {
            String key = records.get(i).key();
            // records without a key have no order to keep: each is its own queue
            queues.computeIfAbsent(key == null ? (Object) i : key, k -> new ArrayDeque<>())
                    .add(i);
        }
        boolean[] settled = new boolean[records.size()];
        // the dedupe store is asked once for the whole poll, and written once per round of answers
        Map<String, List<String>> question = new LinkedHashMap<>();
        records.forEach(
                r -> question.putIfAbsent(r.value().getEventId(), r.value().getChannels()));
        Poll poll = new Poll(dedupe.undelivered(question));
        Map<PusherMessage, Integer> sent = new IdentityHashMap<>();
        Map<Integer, Deque<Integer>> queueOf = new HashMap<>();
        Dispatcher.Session session = dispatcher.session();
        for (Deque<Integer> queue : queues.values()) {
            queue.forEach(i -> queueOf.put(i, queue));
            offerNext(queue, records, settled, sent, session, poll);
        }
        boolean circuitOpen = false;
        try {
            for (Dispatcher.Settled done = session.next(); done != null; done = session.next()) {
                int index = sent.remove(done.message());
                if (done.result().status() == SendResult.Status.CIRCUIT_OPEN) {
                    circuitOpen = true; // stop offering; what is in flight still comes back
                    continue;
                }
                settle(records.get(index), index, done.message(), done.result(), poll);
                settled[index] = true;
                if (!circuitOpen) {
                    offerNext(queueOf.get(index), records, settled, sent, session, poll);
                }
                if (!session.ready()) {
                    poll.record(dedupe); // before waiting for Pusher again
                }
            }
        } finally {
            poll.record(dedupe); // also when dead-lettering failed: what Pusher accepted is remembered
        }
        for (int i = 0; i < settled.length; i++) {
            if (!settled[i]) {
                return i;
            }
        }
        return -1;
    }

    /** Offers the key's next record that still has channels to reach; records that have none are settled. */
    private void offerNext(
            Deque<Integer> queue,
            List<ConsumerRecord<String, ChannelPublish>> records,
            boolean[] settled,
            Map<PusherMessage, Integer> sent,
            Dispatcher.Session session,
            Poll poll) {
        for (Integer index = queue.poll(); index != null; index = queue.poll()) {
            PusherMessage message = poll.undelivered(records.get(index).value());
            if (message == null) {
                settled[index] = true;
                continue;
            }
            sent.put(message, index);
            session.offer(message);
            return;
        }
    }

    private void settle(
            ConsumerRecord<String, ChannelPublish> record,
            int index,
            PusherMessage message,
            SendResult result,
            Poll poll) {
        if (result.status() == SendResult.Status.DELIVERED) {
            poll.delivered(message);
            metrics.published(record.value(), message.channels().size());
            return;
        }
        try {
            deadLetters.accept(record, new PublishFailedException(message.eventId(), result));
        } catch (RuntimeException e) {
            throw new Interrupted(index, e);
        }
    }

    /**
     * The dedupe state of one poll: what the store said at its start, what this poll delivered since (so an event
     * that appears twice in one poll goes once), and the deliveries not yet written to the store.
     */
    private final class Poll {
        private final Map<String, List<String>> undeliveredAtStart;
        private final Map<String, Set<String>> deliveredHere = new HashMap<>();
        private final Map<String, List<String>> unrecorded = new LinkedHashMap<>();

        Poll(Map<String, List<String>> undeliveredAtStart) {
            this.undeliveredAtStart = undeliveredAtStart;
        }

        /** The message for the channels this event has not reached yet, or null when it reached them all. */
        PusherMessage undelivered(ChannelPublish publish) {
            List<String> channels = undeliveredAtStart.getOrDefault(publish.getEventId(), publish.getChannels());
            Set<String> here = deliveredHere.get(publish.getEventId());
            if (here != null) {
                channels = channels.stream().filter(c -> !here.contains(c)).toList();
            }
            metrics.dedupeHits(publish.getChannels().size() - channels.size());
            if (channels.isEmpty()) {
                return null;
            }
            return new PusherMessage(
                    publish.getEventId(), publish.getName(), channels, publish.getData(), publish.getSocketId());
        }

        void delivered(PusherMessage message) {
            deliveredHere
                    .computeIfAbsent(message.eventId(), id -> new HashSet<>())
                    .addAll(message.channels());
            unrecorded
                    .computeIfAbsent(message.eventId(), id -> new ArrayList<>())
                    .addAll(message.channels());
        }

        /** Writes the deliveries not yet recorded, in one call. */
        void record(DedupeStore store) {
            if (!unrecorded.isEmpty()) {
                store.delivered(new LinkedHashMap<>(unrecorded));
                unrecorded.clear();
            }
        }
    }
}
