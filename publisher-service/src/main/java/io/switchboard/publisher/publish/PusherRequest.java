package io.switchboard.publisher.publish;

import java.util.ArrayList;
import java.util.List;

/**
 * One HTTP request to Pusher: either one event to up to 100 channels ({@code POST /events}), or 2 to 10
 * single-channel events ({@code POST /batch_events}). The limits are Pusher's, and pusher-http-java's: an event to a
 * {@code private-encrypted-} channel is encrypted for that channel alone, so such a channel is the only one of its
 * trigger (the library throws "cannot trigger to multiple channels when using encrypted channels" otherwise, 1.3.4)
 * or a batch event of its own (the library encrypts each batch event for its channel). Checked here so that no
 * request we build can break them.
 */
public record PusherRequest(List<PusherMessage> messages) {

    /** Pusher's limit of events in one batch_events request. */
    public static final int MAX_BATCH = 10;

    /** Pusher's limit of channels in one trigger. */
    public static final int MAX_CHANNELS = 100;

    /** The prefix of the channels whose events are encrypted end to end (Pusher's name for them). */
    public static final String ENCRYPTED_PREFIX = "private-encrypted-";

    public PusherRequest {
        messages = List.copyOf(messages);
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("a request needs at least one message");
        }
        if (messages.size() > 1) {
            if (messages.size() > MAX_BATCH) {
                throw new IllegalArgumentException(
                        "batch_events takes at most " + MAX_BATCH + " events, not " + messages.size());
            }
            if (messages.stream().anyMatch(m -> m.channels().size() != 1)) {
                throw new IllegalArgumentException("every event of a batch_events request has exactly one channel");
            }
        } else if (messages.get(0).channels().size() > MAX_CHANNELS) {
            throw new IllegalArgumentException("a trigger takes at most " + MAX_CHANNELS + " channels");
        } else if (messages.get(0).channels().size() > 1
                && messages.get(0).channels().stream().anyMatch(PusherRequest::encrypted)) {
            throw new IllegalArgumentException("a private-encrypted- channel takes a trigger of its own");
        }
    }

    public static boolean encrypted(String channel) {
        return channel.startsWith(ENCRYPTED_PREFIX);
    }

    /**
     * The message cut into what may go in one request each: every encrypted channel on its own, the other channels
     * in triggers of at most {@value #MAX_CHANNELS}. A message that needs no cutting is returned as it is.
     */
    public static List<PusherMessage> parts(PusherMessage message) {
        List<String> channels = message.channels();
        List<String> plain = channels.stream().filter(c -> !encrypted(c)).toList();
        if (plain.size() == channels.size() && channels.size() <= MAX_CHANNELS || channels.size() == 1) {
            return List.of(message);
        }
        List<PusherMessage> parts = new ArrayList<>();
        for (int from = 0; from < plain.size(); from += MAX_CHANNELS) {
            parts.add(part(message, plain.subList(from, Math.min(plain.size(), from + MAX_CHANNELS))));
        }
        channels.stream().filter(PusherRequest::encrypted).forEach(c -> parts.add(part(message, List.of(c))));
        return parts;
    }

    private static PusherMessage part(PusherMessage message, List<String> channels) {
        return new PusherMessage(message.eventId(), message.name(), channels, message.data(), message.socketId());
    }

    public static PusherRequest of(PusherMessage message) {
        return new PusherRequest(List.of(message));
    }

    public boolean batch() {
        return messages.size() > 1;
    }

    /** What Pusher counts: one message per event and channel. */
    public int messageCount() {
        return messages.stream().mapToInt(m -> m.channels().size()).sum();
    }
}
