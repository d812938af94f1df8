package io.switchboard.cli.trace;

import io.switchboard.schemas.ChannelPublish;
import io.switchboard.schemas.DeliveryReceipt;
import io.switchboard.schemas.RealtimeEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Everything found about one event, stage by stage: its record on realtime.events, what the router made of it (a
 * ChannelPublish, a dead letter, a policy drop), and what the publisher made of that (receipts, a dead letter).
 */
final class Journey {

    /** A dead letter as its headers describe it. */
    record DeadLetter(
            ConsumerRecord<byte[], byte[]> record,
            String stage,
            String reason,
            String text,
            String httpStatus,
            String pusherMessage) {}

    final String eventId;
    /** Its records on realtime.events, oldest first: more than one when it was relayed or replayed again. */
    final List<ConsumerRecord<byte[], byte[]>> eventRecords = new ArrayList<>();
    /** The first copy's event. */
    RealtimeEvent event;

    final List<ConsumerRecord<byte[], byte[]>> publishRecords = new ArrayList<>();
    final List<ChannelPublish> publishes = new ArrayList<>();
    final List<DeadLetter> deadLetters = new ArrayList<>();
    final List<DeliveryReceipt> receipts = new ArrayList<>();

    Journey(String eventId) {
        this.eventId = eventId;
    }

    String type() {
        if (event != null) {
            return event.getType();
        }
        if (!publishes.isEmpty()) {
            return publishes.get(0).getName();
        }
        return receipts.isEmpty() ? null : receipts.get(0).getType();
    }

    String aggregate() {
        if (event != null) {
            return event.getAggregateId();
        }
        return receipts.isEmpty() ? null : receipts.get(0).getAggregateId();
    }

    Instant committedAt() {
        if (event != null) {
            return event.getOccurredAt();
        }
        if (!publishes.isEmpty()) {
            return publishes.get(0).getOccurredAt();
        }
        return receipts.isEmpty() ? null : receipts.get(0).getCommittedAt();
    }

    List<DeliveryReceipt> receipts(String outcome) {
        return receipts.stream().filter(r -> r.getOutcome().equals(outcome)).toList();
    }

    /** Channels Pusher accepted the event on, over every PUBLISHED receipt. */
    Set<String> accepted() {
        Set<String> channels = new LinkedHashSet<>();
        receipts("PUBLISHED").forEach(r -> channels.addAll(r.getChannels()));
        return channels;
    }

    /** Channels the router chose, over every ChannelPublish of the event. */
    Set<String> routedTo() {
        Set<String> channels = new LinkedHashSet<>();
        publishes.forEach(p -> channels.addAll(p.getChannels()));
        return channels;
    }

    /** Whether anything names this channel: routed to it, published on it, skipped on it. */
    boolean touches(String channel) {
        return routedTo().contains(channel)
                || receipts.stream().anyMatch(r -> r.getChannels().contains(channel));
    }

    static String after(Instant from, Instant to) {
        if (from == null || to == null) {
            return "";
        }
        return " (" + Duration.between(from, to).toMillis() + " ms after commit)";
    }
}
