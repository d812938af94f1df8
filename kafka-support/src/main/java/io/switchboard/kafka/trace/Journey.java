package io.switchboard.kafka.trace;

import io.switchboard.kafka.DeadLetterHeaders;
import io.switchboard.kafka.ReplayHeaders;
import io.switchboard.schemas.ChannelPublish;
import io.switchboard.schemas.DeliveryReceipt;
import io.switchboard.schemas.RealtimeEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Everything found about one event, stage by stage: its record on realtime.events, what the router made of it (a
 * ChannelPublish, a dead letter, a policy drop), and what the publisher made of that (receipts, a dead letter).
 * {@link JourneyFinder} fills it; {@link JourneyReport} tells it.
 */
public final class Journey {

    /** A dead letter as its headers describe it. */
    public record DeadLetter(
            ConsumerRecord<byte[], byte[]> record,
            String stage,
            String reason,
            String text,
            String httpStatus,
            String pusherMessage) {

        /** The relay's: an outbox row that never became an event (its value is the row as JSON). */
        public boolean relay() {
            return "relay".equals(stage);
        }

        /** The outbox row's id, for a relay dead letter ({@code switchboard-outbox-id}); null otherwise. */
        public String outboxId() {
            return relay() ? RecordValues.header(record, DeadLetterHeaders.OUTBOX_ID) : null;
        }

        /** Where to read it: {@code topic:partition:offset}, as {@code switchboard dlq show} takes it. */
        public String coordinates() {
            return record.topic() + ":" + record.partition() + ":" + record.offset();
        }
    }

    private final String eventId;
    private final List<ConsumerRecord<byte[], byte[]>> eventRecords = new ArrayList<>();
    private RealtimeEvent event;
    private final List<ConsumerRecord<byte[], byte[]>> publishRecords = new ArrayList<>();
    private final List<ChannelPublish> publishes = new ArrayList<>();
    private final List<DeadLetter> deadLetters = new ArrayList<>();
    private final List<DeliveryReceipt> receipts = new ArrayList<>();
    private final List<Journey> redeliveries = new ArrayList<>();

    Journey(String eventId) {
        this.eventId = eventId;
    }

    void relayed(ConsumerRecord<byte[], byte[]> record, RealtimeEvent value) {
        eventRecords.add(record);
        if (event == null) {
            event = value;
        }
    }

    void routed(ConsumerRecord<byte[], byte[]> record, ChannelPublish value) {
        publishRecords.add(record);
        publishes.add(value);
    }

    void deadLettered(DeadLetter deadLetter) {
        deadLetters.add(deadLetter);
    }

    void settled(DeliveryReceipt receipt) {
        receipts.add(receipt);
    }

    void redeliveredAs(Journey copy) {
        redeliveries.add(copy);
    }

    public String eventId() {
        return eventId;
    }

    /** Its records on realtime.events, oldest first: more than one when it was relayed or replayed again. */
    public List<ConsumerRecord<byte[], byte[]>> eventRecords() {
        return Collections.unmodifiableList(eventRecords);
    }

    /** The first copy's event, or null when the window holds none. */
    public RealtimeEvent event() {
        return event;
    }

    /** Its records on realtime.publish, in the order of {@link #publishes()}. */
    public List<ConsumerRecord<byte[], byte[]>> publishRecords() {
        return Collections.unmodifiableList(publishRecords);
    }

    public List<ChannelPublish> publishes() {
        return Collections.unmodifiableList(publishes);
    }

    public List<DeadLetter> deadLetters() {
        return Collections.unmodifiableList(deadLetters);
    }

    public List<DeliveryReceipt> receipts() {
        return Collections.unmodifiableList(receipts);
    }

    public String type() {
        if (event != null) {
            return event.getType();
        }
        if (!publishes.isEmpty()) {
            return publishes.get(0).getName();
        }
        if (!receipts.isEmpty()) {
            return receipts.get(0).getType();
        }
        DeadLetter relay = relayDeadLetter();
        return relay == null ? null : RelayRows.text(relay.record(), "type");
    }

    public String aggregate() {
        if (event != null) {
            return event.getAggregateId();
        }
        if (!receipts.isEmpty()) {
            return receipts.get(0).getAggregateId();
        }
        DeadLetter relay = relayDeadLetter();
        return relay == null ? null : RecordValues.key(relay.record()); // the relay keys by aggregate id
    }

    public Instant committedAt() {
        if (event != null) {
            return event.getOccurredAt();
        }
        if (!publishes.isEmpty()) {
            return publishes.get(0).getOccurredAt();
        }
        if (!receipts.isEmpty()) {
            return receipts.get(0).getCommittedAt();
        }
        DeadLetter relay = relayDeadLetter();
        return relay == null ? null : RelayRows.instant(relay.record(), "createdAt");
    }

    /**
     * The outbox row it came from: the {@code switchboard-outbox-id} the relay put in the event's headers, or the
     * row id of its relay dead letter; null when neither is known.
     */
    public String outboxId() {
        if (event != null && event.getHeaders().get(DeadLetterHeaders.OUTBOX_ID) != null) {
            return event.getHeaders().get(DeadLetterHeaders.OUTBOX_ID);
        }
        DeadLetter relay = relayDeadLetter();
        return relay == null ? null : relay.outboxId();
    }

    /** The relay's dead letter of its outbox row, or null. */
    public DeadLetter relayDeadLetter() {
        return deadLetters.stream().filter(DeadLetter::relay).findFirst().orElse(null);
    }

    /** Receipts with this outcome about the users' channels: not those of a shadow replay. */
    public List<DeliveryReceipt> receipts(String outcome) {
        return receipts.stream()
                .filter(r -> r.getOutcome().equals(outcome) && !shadow(r))
                .toList();
    }

    /** Receipts with this outcome about a shadow replay's publishes. */
    public List<DeliveryReceipt> shadowReceipts(String outcome) {
        return receipts.stream()
                .filter(r -> r.getOutcome().equals(outcome) && shadow(r))
                .toList();
    }

    /**
     * Whether a publish goes to shadow channels: written by {@code switchboard replay --shadow-prefix} (it carries
     * {@link ReplayHeaders#SHADOW}), not by the router; its channels are not the users'.
     */
    public static boolean shadow(ChannelPublish publish) {
        return headers(publish.getHeaders()).containsKey(ReplayHeaders.SHADOW);
    }

    /** Whether a receipt is about a shadow replay's publish: the record it names is one. */
    public boolean shadow(DeliveryReceipt receipt) {
        for (int i = 0; i < publishes.size(); i++) {
            ConsumerRecord<byte[], byte[]> record = publishRecords.get(i);
            if (shadow(publishes.get(i))
                    && record.topic().equals(receipt.getSourceTopic())
                    && record.partition() == receipt.getSourcePartition()
                    && record.offset() == receipt.getSourceOffset()) {
                return true;
            }
        }
        return false;
    }

    /** Channels Pusher accepted the event on, over every PUBLISHED receipt but a shadow replay's. */
    public Set<String> accepted() {
        Set<String> channels = new LinkedHashSet<>();
        receipts("PUBLISHED").forEach(r -> channels.addAll(r.getChannels()));
        return channels;
    }

    /** Shadow channels a shadow replay delivered the event to (Pusher accepted it there). */
    public Set<String> shadowAccepted() {
        Set<String> channels = new LinkedHashSet<>();
        shadowReceipts("PUBLISHED").forEach(r -> channels.addAll(r.getChannels()));
        return channels;
    }

    /** The router's ChannelPublish records of the event: not a shadow replay's. */
    public List<ChannelPublish> routerPublishes() {
        return publishes.stream().filter(p -> !shadow(p)).toList();
    }

    /** Channels the router chose, over every ChannelPublish of the event but a shadow replay's. */
    public Set<String> routedTo() {
        Set<String> channels = new LinkedHashSet<>();
        routerPublishes().forEach(p -> channels.addAll(p.getChannels()));
        return channels;
    }

    /**
     * The event id this event is a copy of, when {@code switchboard replay --redeliver} sent it with a new id
     * ({@link ReplayHeaders#OF} in its headers map, which the router carries to its publishes); else null.
     */
    public String replayOf() {
        return replayHeader(ReplayHeaders.OF);
    }

    /** The replay run that sent this copy ({@link ReplayHeaders#ID}), for a copy made by {@code --redeliver}. */
    public String replayId() {
        return replayHeader(ReplayHeaders.ID);
    }

    private String replayHeader(String name) {
        if (event != null && headers(event.getHeaders()).get(name) != null) {
            return headers(event.getHeaders()).get(name);
        }
        return publishes.stream()
                .map(p -> headers(p.getHeaders()).get(name))
                .filter(Objects::nonNull)
                .findFirst()
                .orElse(null);
    }

    /** The copies {@code switchboard replay --redeliver} made of this event (new ids), found in the window. */
    public List<Journey> redeliveries() {
        return Collections.unmodifiableList(redeliveries);
    }

    private static Map<String, String> headers(Map<String, String> headers) {
        return headers == null ? Map.of() : headers;
    }

    /** Whether anything names this channel: routed to it, published on it, skipped on it. */
    public boolean touches(String channel) {
        return publishes.stream().anyMatch(p -> p.getChannels().contains(channel))
                || receipts.stream().anyMatch(r -> r.getChannels().contains(channel));
    }

    static String after(Instant from, Instant to) {
        if (from == null || to == null) {
            return "";
        }
        return " (" + Duration.between(from, to).toMillis() + " ms after commit)";
    }
}
