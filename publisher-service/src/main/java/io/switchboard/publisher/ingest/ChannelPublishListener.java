package io.switchboard.publisher.ingest;

import io.switchboard.schemas.ChannelPublish;
import io.switchboard.schemas.wire.WireFormatException;
import java.util.List;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.core.log.LogAccessor;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.kafka.support.serializer.SerializationUtils;
import org.springframework.stereotype.Component;

/**
 * Consumes realtime.publish a poll at a time and hands it to {@link OrderedDelivery}; returns only when every
 * record is settled (accepted by Pusher, or dead-lettered), so offsets are committed only for settled records.
 * Anything else stops the batch at a record index, and the error handler takes it from there (KafkaConfig): the
 * records before it are committed, it and the rest are consumed again.
 */
@Component
public class ChannelPublishListener {

    private static final LogAccessor LOG = new LogAccessor(LogFactory.getLog(ChannelPublishListener.class));

    private final OrderedDelivery delivery;

    public ChannelPublishListener(OrderedDelivery delivery) {
        this.delivery = delivery;
    }

    @KafkaListener(id = "publisher", topics = "${switchboard.publisher.input-topic}", batch = "true")
    public void onPublish(List<ConsumerRecord<String, ChannelPublish>> records) throws InterruptedException {
        int undecodable = 0;
        while (undecodable < records.size() && records.get(undecodable).value() != null) {
            undecodable++;
        }
        int unsettled;
        try {
            unsettled = delivery.deliver(records.subList(0, undecodable));
        } catch (OrderedDelivery.Interrupted e) {
            throw new BatchListenerFailedException(e.getMessage(), e.getCause(), e.index());
        }
        if (unsettled >= 0) {
            throw new BatchListenerFailedException("circuit open", new CircuitOpenException(), unsettled);
        }
        if (undecodable < records.size()) {
            ConsumerRecord<String, ChannelPublish> record = records.get(undecodable);
            throw new BatchListenerFailedException("undecodable record", failure(record), undecodable);
        }
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
