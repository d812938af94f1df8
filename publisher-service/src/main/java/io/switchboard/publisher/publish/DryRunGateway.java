package io.switchboard.publisher.publish;

import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code PUSHER_DRY_RUN=1}: logs what would be published and publishes nothing. */
public final class DryRunGateway implements PusherGateway {

    private static final Logger log = LoggerFactory.getLogger(DryRunGateway.class);

    @Override
    public CompletableFuture<PublishOutcome> publish(PusherRequest request) {
        for (PusherMessage message : request.messages()) {
            log.info(
                    "dry run: would publish {} ({}) to {} ({} bytes)",
                    message.name(),
                    message.eventId(),
                    message.channels(),
                    message.data().length());
        }
        return CompletableFuture.completedFuture(new PublishOutcome(PublishOutcome.Kind.DELIVERED, null, "dry run"));
    }
}
