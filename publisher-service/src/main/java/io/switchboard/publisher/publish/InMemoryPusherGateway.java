package io.switchboard.publisher.publish;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A gateway that answers from a function and keeps every request it was sent: for unit tests of what sits in front
 * of Pusher, and for experiments without a server.
 */
public final class InMemoryPusherGateway implements PusherGateway {

    private final Function<PusherRequest, PublishOutcome> answer;
    private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();

    /** One request and the answer it got. */
    public record Exchange(PusherRequest request, PublishOutcome outcome) {}

    /** Accepts everything. */
    public InMemoryPusherGateway() {
        this(request -> PublishOutcome.delivered(200));
    }

    public InMemoryPusherGateway(Function<PusherRequest, PublishOutcome> answer) {
        this.answer = answer;
    }

    @Override
    public CompletableFuture<PublishOutcome> publish(PusherRequest request) {
        PublishOutcome outcome = answer.apply(request);
        exchanges.add(new Exchange(request, outcome));
        return CompletableFuture.completedFuture(outcome);
    }

    /** Every request sent, in the order they were sent (accepted or not). */
    public List<Exchange> exchanges() {
        return List.copyOf(exchanges);
    }

    /** The messages of accepted requests, in the order they were accepted. */
    public List<PusherMessage> accepted() {
        return exchanges.stream()
                .filter(e -> e.outcome().delivered())
                .flatMap(e -> e.request().messages().stream())
                .toList();
    }
}
