package io.switchboard.publisher.publish;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * Delivers a set of independent messages (no two of the same Kafka key) with as few requests as Pusher allows and
 * several in flight: single-channel messages go {@value PusherRequest#MAX_BATCH} to a {@code batch_events}
 * request, a message to several channels goes alone as one trigger. A batch that Pusher refuses for good is split
 * and its messages sent one by one, so that one bad event does not take the others with it.
 */
public final class Dispatcher {

    private final ResilientSender sender;
    private final Semaphore inFlight;

    /** @param maxInFlight how many requests may await Pusher's answer at once */
    public Dispatcher(ResilientSender sender, int maxInFlight) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("max-in-flight must be at least 1, not " + maxInFlight);
        }
        this.sender = sender;
        this.inFlight = new Semaphore(maxInFlight);
    }

    /** Sends every message and waits for all; the result of each message, by identity. */
    public Map<PusherMessage, SendResult> deliver(List<PusherMessage> messages) throws InterruptedException {
        Map<PusherMessage, SendResult> results = new IdentityHashMap<>();
        Map<PusherMessage, PusherMessage> original = new IdentityHashMap<>();
        List<PusherRequest> requests = requests(messages, original);
        while (!requests.isEmpty()) {
            List<PusherRequest> sent = new ArrayList<>(requests.size());
            List<CompletableFuture<SendResult>> answers = new ArrayList<>(requests.size());
            for (PusherRequest request : requests) {
                inFlight.acquire();
                sent.add(request);
                answers.add(sender.send(request).whenComplete((result, error) -> inFlight.release()));
            }
            List<PusherRequest> split = new ArrayList<>();
            for (int i = 0; i < sent.size(); i++) {
                SendResult result = answers.get(i).join(); // never exceptional (ResilientSender)
                PusherRequest request = sent.get(i);
                if (request.batch() && result.status() == SendResult.Status.REFUSED) {
                    request.messages().forEach(m -> split.add(PusherRequest.of(m)));
                } else {
                    // a message cut into several triggers (over 100 channels) is delivered when all of them are
                    request.messages().forEach(m -> results.merge(original.get(m), result, Dispatcher::worse));
                }
            }
            requests = split;
        }
        return results;
    }

    private static SendResult worse(SendResult a, SendResult b) {
        return a.status() == SendResult.Status.DELIVERED ? b : a;
    }

    /**
     * Groups messages into requests in their order: single-channel ones in tens, the others alone (cut into triggers
     * of at most 100 channels). {@code original} maps each message sent to the message it came from.
     */
    static List<PusherRequest> requests(List<PusherMessage> messages, Map<PusherMessage, PusherMessage> original) {
        List<PusherRequest> requests = new ArrayList<>();
        List<PusherMessage> batch = new ArrayList<>(PusherRequest.MAX_BATCH);
        for (PusherMessage message : messages) {
            if (message.channels().size() == 1) {
                original.put(message, message);
                batch.add(message);
                if (batch.size() == PusherRequest.MAX_BATCH) {
                    requests.add(new PusherRequest(batch));
                    batch.clear();
                }
            } else {
                for (int from = 0; from < message.channels().size(); from += PusherRequest.MAX_CHANNELS) {
                    List<String> slice = message.channels()
                            .subList(from, Math.min(message.channels().size(), from + PusherRequest.MAX_CHANNELS));
                    PusherMessage part = slice.size() == message.channels().size()
                            ? message
                            : new PusherMessage(
                                    message.eventId(), message.name(), slice, message.data(), message.socketId());
                    original.put(part, message);
                    requests.add(PusherRequest.of(part));
                }
            }
        }
        if (!batch.isEmpty()) {
            requests.add(new PusherRequest(batch));
        }
        return requests;
    }
}
