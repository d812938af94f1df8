package io.switchboard.publisher.ingest;

import io.switchboard.kafka.DeadLetterPolicy;
import io.switchboard.kafka.TransientFailure;
import io.switchboard.schemas.ChannelPublish;
import io.switchboard.schemas.wire.WireFormatException;
import java.util.List;
import java.util.function.BiConsumer;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.core.log.LogAccessor;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.kafka.support.serializer.SerializationUtils;

/**
 * Consumes realtime.publish a poll at a time and settles every record itself: decodable records through
 * {@link OrderedDelivery} (accepted by Pusher, or dead-lettered), undecodable ones dead-lettered at once as
 * NOT_DESERIALIZABLE. It returns only when every record is settled, so the poll's offsets are committed only then.
 *
 * <p>One rule for every failure that leaves a record unsettled (Pusher's circuit is open, Pusher was still rate
 * limiting when the retries ran out, a dead-letter write failed, the schema registry could not be reached): it throws at the first unsettled record with a
 * {@link TransientFailure}, and the error handler (KafkaConfig) commits the records before it and consumes it and
 * the rest again after a backoff, for as long as it takes. Such a record is never dead-lettered.
 */
public class ChannelPublishListener {

    private static final LogAccessor LOG = new LogAccessor(LogFactory.getLog(ChannelPublishListener.class));

    private final OrderedDelivery delivery;
    private final BiConsumer<ConsumerRecord<?, ?>, Exception> deadLetters;

    /**
     * @param deadLetters writes a record to the dead-letter topic and returns once Kafka acknowledged the write
     */
    public ChannelPublishListener(OrderedDelivery delivery, BiConsumer<ConsumerRecord<?, ?>, Exception> deadLetters) {
        this.delivery = delivery;
        this.deadLetters = deadLetters;
    }

    // id "publisher" names the container (the breaker pauses it); the group is the configured one, not the id
    @KafkaListener(
            id = "publisher",
            groupId = "${spring.kafka.consumer.group-id}",
            topics = "${switchboard.publisher.input-topic}",
            batch = "true")
    public void onPublish(List<ConsumerRecord<String, ChannelPublish>> records) throws InterruptedException {
        int from = 0;
        while (from < records.size()) {
            int undecodable = from;
            while (undecodable < records.size() && records.get(undecodable).value() != null) {
                undecodable++;
            }
            // a poll without undecodable records (the usual case) is delivered whole, in one call
            OrderedDelivery.Result result = delivery.settle(
                    from == 0 && undecodable == records.size() ? records : records.subList(from, undecodable));
            if (!result.settled()) {
                throw unsettled(records, from + result.firstUnsettled(), result.cause());
            }
            if (undecodable < records.size()) {
                deadLetterUndecodable(records, undecodable);
            }
            from = undecodable + 1;
        }
    }

    private void deadLetterUndecodable(List<ConsumerRecord<String, ChannelPublish>> records, int index) {
        ConsumerRecord<String, ChannelPublish> record = records.get(index);
        RuntimeException failure = failure(record);
        WireFormatException wire = DeadLetterPolicy.find(failure, WireFormatException.class);
        if (wire != null && wire.isTransient()) {
            // the bytes may be fine: the registry could not be reached to read them. Not the record's fault
            throw unsettled(
                    records,
                    index,
                    new TransientFailure("cannot decode the record for now: " + wire.getMessage(), wire));
        }
        try {
            // the wire format's own failure names what is wrong with the bytes (the deserializer's wrapper says only
            // "failed to deserialize"); the original bytes are kept either way
            deadLetters.accept(record, wire != null ? wire : failure);
        } catch (RuntimeException e) {
            throw unsettled(
                    records,
                    index,
                    new TransientFailure(
                            "writing an undecodable record to the dead-letter topic failed: " + e.getMessage(), e));
        }
    }

    /**
     * Stops the poll at its first unsettled record: one WARN line (the error handler itself logs at DEBUG), then the
     * error handler commits what is before it and consumes it again after a backoff.
     */
    private static BatchListenerFailedException unsettled(
            List<ConsumerRecord<String, ChannelPublish>> records, int index, TransientFailure cause) {
        ConsumerRecord<String, ChannelPublish> record = records.get(index);
        LOG.warn(() -> "not settled, consumed again after a backoff from " + record.topic() + "-" + record.partition()
                + "@" + record.offset() + ": " + cause.getMessage());
        return new BatchListenerFailedException(cause.getMessage(), cause, index);
    }

    /** Why a record has no value: the deserializer's failure, or a tombstone. */
    private static RuntimeException failure(ConsumerRecord<String, ChannelPublish> record) {
        DeserializationException failure = SerializationUtils.getExceptionFromHeader(
                record, SerializationUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER, LOG);
        if (failure != null) {
            return failure;
        }
        return new WireFormatException(WireFormatException.Reason.EMPTY, "a tombstone (the record has no value)");
    }
}
