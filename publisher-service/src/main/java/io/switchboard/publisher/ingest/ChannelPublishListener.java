package io.switchboard.publisher.ingest;

import io.switchboard.publisher.config.PublisherProperties;
import io.switchboard.publisher.dedupe.DedupeStore;
import io.switchboard.publisher.publish.PublishOutcome;
import io.switchboard.publisher.publish.PusherGateway;
import io.switchboard.publisher.publish.PusherMessage;
import io.switchboard.schemas.ChannelPublish;
import java.util.List;
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

    private final DedupeStore dedupe;

    public ChannelPublishListener(
            PusherGateway gateway, DedupeStore dedupe, PublisherMetrics metrics, PublisherProperties properties) {
        this.gateway = gateway;
        this.dedupe = dedupe;
        this.metrics = metrics;
        this.properties = properties;
    }

    @KafkaListener(id = "publisher", topics = "${switchboard.publisher.input-topic}")
    public void onPublish(ConsumerRecord<String, ChannelPublish> record) throws InterruptedException {
        ChannelPublish publish = record.value();
        List<String> channels = dedupe.undelivered(publish.getEventId(), publish.getChannels());
        metrics.dedupeHits(publish.getChannels().size() - channels.size());
        if (channels.isEmpty()) {
            return; // delivered to every channel already (a redelivery)
        }
        PusherMessage message = new PusherMessage(
                publish.getEventId(), publish.getName(), channels, publish.getData(), publish.getSocketId());
        PublishOutcome outcome;
        try {
            outcome = gateway.publish(message).get(properties.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            outcome = PublishOutcome.networkError(e instanceof ExecutionException ? e.getCause() : e);
        }
        metrics.outcome(outcome, publish, channels.size());
        if (outcome.delivered()) {
            dedupe.delivered(publish.getEventId(), channels);
            return;
        }
        throw outcome.kind() == PublishOutcome.Kind.PERMANENT
                ? new PublishFailedException.Permanent(publish.getEventId(), outcome)
                : new PublishFailedException(publish.getEventId(), outcome);
    }
}
