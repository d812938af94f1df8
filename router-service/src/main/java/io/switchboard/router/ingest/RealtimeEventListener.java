package io.switchboard.router.ingest;

import io.switchboard.router.config.RouterProperties;
import io.switchboard.router.routing.EventRouter;
import io.switchboard.schemas.ChannelPublish;
import io.switchboard.schemas.RealtimeEvent;
import io.switchboard.schemas.wire.WireFormatException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Consumes realtime.events, routes each record and produces its ChannelPublish with the same key. The send is
 * awaited, so the offset is committed only once the publish is durable; failures go to the container's error
 * handler (dead letters for bad data, bounded retries for Kafka errors: see KafkaConfig).
 */
@Component
public class RealtimeEventListener {

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

    @KafkaListener(id = "router", topics = "${switchboard.router.input-topic}")
    public void onEvent(ConsumerRecord<String, RealtimeEvent> record)
            throws ExecutionException, InterruptedException, TimeoutException {
        long start = System.nanoTime();
        if (record.value() == null) {
            // a tombstone never reaches the deserializer: refuse it here, as bad data, not as a crash to retry
            throw new WireFormatException(WireFormatException.Reason.EMPTY, "a tombstone (the record has no value)");
        }
        EventRouter.Outcome outcome = router.route(record.value());
        if (outcome instanceof EventRouter.Routed routed) {
            template.send(outputTopic, record.key(), routed.publish()).get(30, TimeUnit.SECONDS);
            metrics.routed(routed, System.nanoTime() - start);
        } else if (outcome instanceof EventRouter.Dropped dropped) {
            metrics.dropped(dropped);
        }
    }
}
