package io.switchboard.publisher.publish;

import java.util.concurrent.CompletableFuture;

/** The one way out to Pusher. Implementations never throw: every failure is a classified {@link PublishOutcome}. */
@FunctionalInterface
public interface PusherGateway {

    CompletableFuture<PublishOutcome> publish(PusherMessage message);
}
