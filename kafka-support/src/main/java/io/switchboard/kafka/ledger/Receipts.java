package io.switchboard.kafka.ledger;

import io.switchboard.schemas.DeliveryReceipt;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** How the stages fill a {@link DeliveryReceipt}: the outcome codes and the fields every receipt has. */
public final class Receipts {

    /** The stages that write receipts. */
    public static final String ROUTER = "router";

    public static final String PUBLISHER = "publisher";

    /** What became of an event at a stage. */
    public enum Outcome {
        /** Pusher accepted it on the receipt's channels. */
        PUBLISHED,
        /** Already delivered to the receipt's channels (dedupe): not sent again. */
        SKIPPED_DUPLICATE,
        /** Dropped by a named policy (the progress guard): not published, on purpose. */
        DROPPED,
        /** Written to the stage's dead-letter topic with the reason. */
        DEAD_LETTERED
    }

    private Receipts() {}

    /**
     * A receipt about {@code source} (its topic, partition, offset and key), settled at {@code settledAt}; the caller
     * adds what it knows (type, channels, reason, times) and builds it.
     */
    public static DeliveryReceipt.Builder about(
            ConsumerRecord<?, ?> source, String eventId, String stage, Outcome outcome, Instant settledAt) {
        return DeliveryReceipt.newBuilder()
                .setEventId(eventId)
                .setAggregateId(source.key() == null ? null : source.key().toString())
                .setStage(stage)
                .setOutcome(outcome.name())
                .setChannels(List.of())
                .setSettledAt(settledAt)
                .setSourceTopic(source.topic())
                .setSourcePartition(source.partition())
                .setSourceOffset(source.offset());
    }
}
