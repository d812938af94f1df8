package io.switchboard.publisher.publish;

import com.pusher.rest.PusherAsync;
import com.pusher.rest.data.Result;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Publishes through pusher-http-java's async client (one {@code trigger} per message, up to 100 channels each).
 * Outcomes are classified from the HTTP status and body here, not by the library.
 */
public final class PusherHttpGateway implements PusherGateway {

    private final PusherAsync pusher;

    public PusherHttpGateway(PusherAsync pusher) {
        this.pusher = pusher;
    }

    @Override
    public CompletableFuture<PublishOutcome> publish(PusherMessage message) {
        List<CompletableFuture<PublishOutcome>> parts = new ArrayList<>();
        List<String> channels = message.channels();
        for (int from = 0; from < channels.size(); from += 100) {
            List<String> slice = channels.subList(from, Math.min(channels.size(), from + 100));
            parts.add(trigger(slice, message));
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
                .thenApply(ignored -> parts.stream()
                        .map(CompletableFuture::join)
                        .filter(outcome -> !outcome.delivered())
                        .findFirst()
                        .orElseGet(() -> parts.get(0).join()));
    }

    private CompletableFuture<PublishOutcome> trigger(List<String> channels, PusherMessage message) {
        CompletableFuture<Result> call;
        try {
            call = pusher.trigger(channels, message.name(), message.data(), message.socketId());
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
