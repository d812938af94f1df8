package io.switchboard.publisher.publish;

import java.util.concurrent.CompletableFuture;

/** The one way out to Pusher. Implementations never throw: every failure is a classified {@link PublishOutcome}. */
@FunctionalInterface
public interface PusherGateway {

    /** Sends one request; its outcome covers every message in it (Pusher accepts or refuses a request whole). */
    CompletableFuture<PublishOutcome> publish(PusherRequest request);
}
