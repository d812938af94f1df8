package io.switchboard.publisher.publish;

import java.util.List;

/**
 * One HTTP request to Pusher: either one event to up to 100 channels ({@code POST /events}), or 2 to 10
 * single-channel events ({@code POST /batch_events}). The limits are Pusher's; checked here so that no request we
 * build can break them.
 */
public record PusherRequest(List<PusherMessage> messages) {

    /** Pusher's limit of events in one batch_events request. */
    public static final int MAX_BATCH = 10;

    /** Pusher's limit of channels in one trigger. */
    public static final int MAX_CHANNELS = 100;

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
        }
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
