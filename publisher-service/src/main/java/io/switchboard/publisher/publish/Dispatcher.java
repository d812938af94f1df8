package io.switchboard.publisher.publish;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Turns messages into as few requests as Pusher allows and keeps several in flight: single-channel messages go
 * {@value PusherRequest#MAX_BATCH} to a {@code batch_events} request, a message to several channels goes alone as
 * one trigger. A message is cut ({@link PusherRequest#parts}) when one request cannot carry it: into triggers of at
 * most {@value PusherRequest#MAX_CHANNELS} channels, and each {@code private-encrypted-} channel on its own (a
 * single-channel part is batched like any single-channel message). A batch that Pusher refuses for good is split and
 * its messages sent one by one, so that one bad event does not take the others with it. Without encryption, a
 * message to an encrypted channel is not sent at all ({@link SendResult.Status#ENCRYPTION_KEY_MISSING}). Work is
 * done in a {@link Session}, driven by one thread; answers arrive on the HTTP client's threads and are handed over
 * through a queue.
 */
public final class Dispatcher {

    private final ResilientSender sender;
    private final int maxInFlight;
    private final boolean encryption;

    /** A dispatcher without encryption: messages to {@code private-encrypted-} channels are not sent. */
    public Dispatcher(ResilientSender sender, int maxInFlight) {
        this(sender, maxInFlight, false);
    }

    /**
     * @param maxInFlight how many requests may await Pusher's answer at once
     * @param encryption whether the gateway encrypts events to {@code private-encrypted-} channels (the master key
     *     is set); without it such messages are settled as {@link SendResult.Status#ENCRYPTION_KEY_MISSING}
     */
    public Dispatcher(ResilientSender sender, int maxInFlight, boolean encryption) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("max-in-flight must be at least 1, not " + maxInFlight);
        }
        this.sender = sender;
        this.maxInFlight = maxInFlight;
        this.encryption = encryption;
    }

    /**
     * A message's final result, and the channels Pusher accepted it for: all of them when it was delivered; for a
     * message cut into parts that was not, those of the parts that were (so that they are not sent again).
     */
    public record Settled(PusherMessage message, SendResult result, List<String> reached) {}

    public Session session() {
        return new Session();
    }

    /** Sends every message and waits for all; the result of each message, by identity. */
    public Map<PusherMessage, SendResult> deliver(List<PusherMessage> messages) throws InterruptedException {
        Session session = session();
        messages.forEach(session::offer);
        Map<PusherMessage, SendResult> results = new IdentityHashMap<>();
        for (Settled settled = session.next(); settled != null; settled = session.next()) {
            results.put(settled.message(), settled.result());
        }
        return results;
    }

    /**
     * One stream of messages: {@link #offer} queues a message, {@link #next} sends what is queued (as far as the
     * in-flight limit allows) and returns the next message whose result is final. Not thread-safe: one thread
     * offers and takes.
     */
    public final class Session {

        private final Deque<PusherMessage> batchable = new ArrayDeque<>();
        private final Deque<PusherRequest> alone = new ArrayDeque<>();
        /** The message each part of a message cut into several triggers belongs to (only those parts). */
        private final Map<PusherMessage, PusherMessage> original = new IdentityHashMap<>();

        private final Map<PusherMessage, int[]> partsLeft = new IdentityHashMap<>();
        private final Map<PusherMessage, SendResult> partial = new IdentityHashMap<>();
        private final Map<PusherMessage, List<String>> partsReached = new IdentityHashMap<>();
        private final BlockingQueue<Answer> answers = new LinkedBlockingQueue<>();
        private final Deque<Settled> settled = new ArrayDeque<>();
        private int inFlight;

        private record Answer(PusherRequest request, SendResult result) {}

        private Session() {}

        /** Queues a message; it is sent on the next call to {@link #next}. */
        public void offer(PusherMessage message) {
            if (!encryption && message.channels().stream().anyMatch(PusherRequest::encrypted)) {
                // decided here, before anything is sent: not even its clear channels get it
                settled.add(new Settled(message, SendResult.encryptionKeyMissing(message), List.of()));
                return;
            }
            List<PusherMessage> parts = PusherRequest.parts(message);
            if (parts.size() == 1) {
                queue(parts.get(0));
                return;
            }
            for (PusherMessage part : parts) {
                original.put(part, message);
                queue(part);
            }
            partsLeft.put(message, new int[] {parts.size()});
            partsReached.put(message, new ArrayList<>());
        }

        private void queue(PusherMessage message) {
            if (message.channels().size() == 1) {
                batchable.add(message);
            } else {
                alone.add(PusherRequest.of(message));
            }
        }

        /** True when {@link #next} can return without waiting for Pusher. */
        public boolean ready() {
            return !settled.isEmpty() || !answers.isEmpty();
        }

        /** The next message whose result is final, waiting for Pusher if need be; null when nothing is left. */
        public Settled next() throws InterruptedException {
            while (settled.isEmpty()) {
                send();
                if (inFlight == 0) {
                    return null;
                }
                Answer answer = answers.take();
                inFlight--;
                take(answer);
            }
            return settled.poll();
        }

        private void send() {
            while (inFlight < maxInFlight && !(alone.isEmpty() && batchable.isEmpty())) {
                PusherRequest request;
                if (!alone.isEmpty()) {
                    request = alone.poll();
                } else {
                    List<PusherMessage> batch = new ArrayList<>(PusherRequest.MAX_BATCH);
                    while (batch.size() < PusherRequest.MAX_BATCH && !batchable.isEmpty()) {
                        batch.add(batchable.poll());
                    }
                    request = new PusherRequest(batch);
                }
                inFlight++;
                // never exceptional (ResilientSender); the answer is taken on the session's thread
                sender.send(request).thenAccept(result -> answers.add(new Answer(request, result)));
            }
        }

        private void take(Answer answer) {
            PusherRequest request = answer.request();
            SendResult result = answer.result();
            if (request.batch() && result.status() == SendResult.Status.REFUSED) {
                request.messages().forEach(m -> alone.add(PusherRequest.of(m)));
                return;
            }
            for (PusherMessage part : request.messages()) {
                PusherMessage message = original.remove(part);
                if (message == null) { // the message itself, not a part of it
                    settled.add(new Settled(
                            part,
                            result,
                            result.status() == SendResult.Status.DELIVERED ? part.channels() : List.of()));
                    continue;
                }
                int[] left = partsLeft.get(message);
                // a message cut into several requests is delivered when all of them are, and left undecided (sent
                // again later, never dead-lettered) when any of them is
                SendResult worst = partial.merge(message, result, Dispatcher::worse);
                if (result.status() == SendResult.Status.DELIVERED) {
                    partsReached.get(message).addAll(part.channels());
                }
                if (--left[0] == 0) {
                    partsLeft.remove(message);
                    partial.remove(message);
                    settled.add(new Settled(message, worst, List.copyOf(partsReached.remove(message))));
                }
            }
        }
    }

    /** Of two parts' results, the one that decides the message: undecided, then failed, then delivered. */
    private static SendResult worse(SendResult a, SendResult b) {
        if (!a.decided()) {
            return a;
        }
        if (!b.decided() || a.status() == SendResult.Status.DELIVERED) {
            return b;
        }
        return a;
    }
}
