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
    public static Draft about(
            ConsumerRecord<?, ?> source, String eventId, String stage, Outcome outcome, Instant settledAt) {
        Draft draft = new Draft();
        draft.eventId = eventId;
        draft.aggregateId = source.key() == null ? null : source.key().toString();
        draft.stage = stage;
        draft.outcome = outcome.name();
        draft.settledAt = settledAt;
        draft.sourceTopic = source.topic();
        draft.sourcePartition = source.partition();
        draft.sourceOffset = source.offset();
        return draft;
    }

    /**
     * A receipt being filled in. Not Avro's generated builder: that one validates and deep-copies every field, and
     * a receipt is made for every event the publisher settles, on its delivery path (it cost a third of the
     * publisher's CPU per event in benchmarks/run.sh publisher-load).
     */
    public static final class Draft {
        private String eventId;
        private String aggregateId;
        private String type;
        private String stage;
        private String outcome;
        private String reason;
        private String detail;
        private List<String> channels = List.of();
        private String rule;
        private int attempts;
        private Integer httpStatus;
        private Instant committedAt;
        private Instant routedAt;
        private Instant settledAt;
        private String sourceTopic;
        private int sourcePartition;
        private long sourceOffset;

        private Draft() {}

        public Draft setType(String type) {
            this.type = type;
            return this;
        }

        public Draft setReason(String reason) {
            this.reason = reason;
            return this;
        }

        public Draft setDetail(String detail) {
            this.detail = detail;
            return this;
        }

        public Draft setChannels(List<String> channels) {
            this.channels = channels;
            return this;
        }

        public Draft setRule(String rule) {
            this.rule = rule;
            return this;
        }

        public Draft setAttempts(int attempts) {
            this.attempts = attempts;
            return this;
        }

        public Draft setHttpStatus(Integer httpStatus) {
            this.httpStatus = httpStatus;
            return this;
        }

        public Draft setCommittedAt(Instant committedAt) {
            this.committedAt = committedAt;
            return this;
        }

        public Draft setRoutedAt(Instant routedAt) {
            this.routedAt = routedAt;
            return this;
        }

        public DeliveryReceipt build() {
            return new DeliveryReceipt(
                    eventId,
                    aggregateId,
                    type,
                    stage,
                    outcome,
                    reason,
                    detail,
                    channels,
                    rule,
                    attempts,
                    httpStatus,
                    committedAt,
                    routedAt,
                    settledAt,
                    sourceTopic,
                    sourcePartition,
                    sourceOffset);
        }
    }
}
