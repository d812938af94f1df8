package io.switchboard.publisher.ingest;

import io.switchboard.publisher.config.PublisherProperties;
import io.switchboard.publisher.publish.PublishOutcome;
import io.switchboard.publisher.publish.PusherGateway;
import io.switchboard.publisher.publish.PusherMessage;
import io.switchboard.schemas.ChannelPublish;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Consumes realtime.publish and hands each record to the gateway, waiting for Pusher's answer: the offset is
 * committed only after Pusher accepted the event or it was dead-lettered (see KafkaConfig for the failure policy).
 */
@Component
public class ChannelPublishListener {

    private final PusherGateway gateway;
    private final PublisherMetrics metrics;
    private final PublisherProperties properties;

    public ChannelPublishListener(PusherGateway gateway, PublisherMetrics metrics, PublisherProperties properties) {
        this.gateway = gateway;
        this.metrics = metrics;
        this.properties = properties;
    }

    @KafkaListener(id = "publisher", topics = "${switchboard.publisher.input-topic}")
    public void onPublish(ConsumerRecord<String, ChannelPublish> record) throws InterruptedException {
        ChannelPublish publish = record.value();
        PusherMessage message = new PusherMessage(
                publish.getEventId(),
                publish.getName(),
                publish.getChannels(),
                publish.getData(),
                publish.getSocketId());
        PublishOutcome outcome;
        try {
            outcome = gateway.publish(message).get(properties.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            outcome = PublishOutcome.networkError(e instanceof ExecutionException ? e.getCause() : e);
        }
        metrics.outcome(outcome, publish);
        if (outcome.delivered()) {
            return;
        }
        throw outcome.kind() == PublishOutcome.Kind.PERMANENT
                ? new PublishFailedException.Permanent(publish.getEventId(), outcome)
                : new PublishFailedException(publish.getEventId(), outcome);
    }
}
