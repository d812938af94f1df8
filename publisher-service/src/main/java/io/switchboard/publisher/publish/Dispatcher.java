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
 * one trigger (cut into triggers of at most {@value PusherRequest#MAX_CHANNELS} channels). A batch that Pusher
 * refuses for good is split and its messages sent one by one, so that one bad event does not take the others with
 * it. Work is done in a {@link Session}, driven by one thread; answers arrive on the HTTP client's threads and are
 * handed over through a queue.
 */
public final class Dispatcher {

    private final ResilientSender sender;
    private final int maxInFlight;

    /** @param maxInFlight how many requests may await Pusher's answer at once */
    public Dispatcher(ResilientSender sender, int maxInFlight) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("max-in-flight must be at least 1, not " + maxInFlight);
        }
        this.sender = sender;
        this.maxInFlight = maxInFlight;
    }

    /** A message's final result. */
    public record Settled(PusherMessage message, SendResult result) {}

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
        private final BlockingQueue<Answer> answers = new LinkedBlockingQueue<>();
        private final Deque<Settled> settled = new ArrayDeque<>();
        private int inFlight;

        private record Answer(PusherRequest request, SendResult result) {}

        private Session() {}

        /** Queues a message; it is sent on the next call to {@link #next}. */
        public void offer(PusherMessage message) {
            if (message.channels().size() == 1) {
                batchable.add(message);
                return;
            }
            List<String> channels = message.channels();
            int parts = 0;
            for (int from = 0; from < channels.size(); from += PusherRequest.MAX_CHANNELS) {
                List<String> slice =
                        channels.subList(from, Math.min(channels.size(), from + PusherRequest.MAX_CHANNELS));
                if (slice.size() == channels.size()) {
                    alone.add(PusherRequest.of(message));
                    return;
                }
                PusherMessage part =
                        new PusherMessage(message.eventId(), message.name(), slice, message.data(), message.socketId());
                original.put(part, message);
                alone.add(PusherRequest.of(part));
                parts++;
            }
            partsLeft.put(message, new int[] {parts});
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
                    settled.add(new Settled(part, result));
                    continue;
                }
                int[] left = partsLeft.get(message);
                // a message cut into several triggers is delivered when all of them are, and left undecided (sent
                // again later, never dead-lettered) when any of them is
                SendResult worst = partial.merge(message, result, Dispatcher::worse);
                if (--left[0] == 0) {
                    partsLeft.remove(message);
                    partial.remove(message);
                    settled.add(new Settled(message, worst));
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
