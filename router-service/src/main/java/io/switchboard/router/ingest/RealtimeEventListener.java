package io.switchboard.router.ingest;

import io.switchboard.router.config.RouterProperties;
import io.switchboard.router.routing.EventRouter;
import io.switchboard.schemas.ChannelPublish;
import io.switchboard.schemas.RealtimeEvent;
import io.switchboard.schemas.wire.WireFormatException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.core.log.LogAccessor;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.kafka.support.serializer.SerializationUtils;
import org.springframework.stereotype.Component;

/**
 * Consumes realtime.events a poll at a time: routes every record, sends the publishes without waiting one by one,
 * and returns only once all sends are acknowledged, so the batch's offsets are committed only when its outcome is
 * durable. A record that cannot be routed stops the batch at its index: the records before it are made durable
 * first, then the error handler dead-letters it and the rest of the batch is delivered again (see KafkaConfig).
 */
@Component
public class RealtimeEventListener {

    private static final LogAccessor LOG = new LogAccessor(LogFactory.getLog(RealtimeEventListener.class));

    private final EventRouter router;
    private final KafkaTemplate<String, ChannelPublish> template;
    private final RouterMetrics metrics;
    private final String outputTopic;

    public RealtimeEventListener(
            EventRouter router,
            KafkaTemplate<String, ChannelPublish> template,
            RouterMetrics metrics,
            RouterProperties properties) {
        this.router = router;
        this.template = template;
        this.metrics = metrics;
        this.outputTopic = properties.outputTopic();
    }

    @KafkaListener(id = "router", topics = "${switchboard.router.input-topic}", batch = "true")
    public void onEvents(List<ConsumerRecord<String, RealtimeEvent>> records)
            throws ExecutionException, InterruptedException, TimeoutException {
        List<CompletableFuture<?>> sends = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            ConsumerRecord<String, RealtimeEvent> record = records.get(i);
            EventRouter.Outcome outcome;
            long start = System.nanoTime();
            try {
                outcome = router.route(value(record));
            } catch (RuntimeException e) {
                awaitAll(sends);
                throw new BatchListenerFailedException(e.getMessage(), e, i);
            }
            if (outcome instanceof EventRouter.Routed routed) {
                sends.add(template.send(outputTopic, record.key(), routed.publish()));
                metrics.routed(routed, System.nanoTime() - start);
            } else if (outcome instanceof EventRouter.Dropped dropped) {
                metrics.dropped(dropped);
            }
        }
        awaitAll(sends);
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

    private static void awaitAll(List<CompletableFuture<?>> sends)
            throws ExecutionException, InterruptedException, TimeoutException {
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    }
}
