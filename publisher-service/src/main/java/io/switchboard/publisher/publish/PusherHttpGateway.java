package io.switchboard.publisher.publish;

import com.pusher.rest.PusherAsync;
import com.pusher.rest.data.Event;
import com.pusher.rest.data.Result;
import java.util.concurrent.CompletableFuture;

/**
 * Publishes through pusher-http-java's async client: {@code trigger} for one event (up to 100 channels),
 * {@code batch_events} for several single-channel events. Outcomes are classified from the HTTP status and body
 * here, not by the library.
 */
public final class PusherHttpGateway implements PusherGateway {

    private final PusherAsync pusher;

    public PusherHttpGateway(PusherAsync pusher) {
        this.pusher = pusher;
    }

    @Override
    public CompletableFuture<PublishOutcome> publish(PusherRequest request) {
        CompletableFuture<Result> call;
        try {
            if (request.batch()) {
                call = pusher.trigger(request.messages().stream()
                        .map(m -> new Event(m.channels().get(0), m.name(), m.data(), m.socketId()))
                        .toList());
            } else {
                PusherMessage m = request.messages().get(0);
                call = pusher.trigger(m.channels(), m.name(), m.data(), m.socketId());
            }
        } catch (RuntimeException e) {
            // the library validates names and socket ids before sending: a permanent refusal
            return CompletableFuture.completedFuture(
                    new PublishOutcome(PublishOutcome.Kind.PERMANENT, null, e.getMessage()));
        }
        return call.handle((result, error) -> {
            if (error != null) {
                return PublishOutcome.networkError(error);
            }
            if (result.getHttpStatus() == null) {
                return new PublishOutcome(PublishOutcome.Kind.TRANSIENT, null, result.getMessage());
            }
            return PublishOutcome.fromHttp(result.getHttpStatus(), result.getMessage());
        });
    }
}
