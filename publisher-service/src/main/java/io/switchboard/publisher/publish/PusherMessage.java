package io.switchboard.publisher.publish;

import java.util.List;

/** One event for Pusher: its name, channels (1 to 100), data (JSON text) and the socket to exclude, if any. */
public record PusherMessage(String eventId, String name, List<String> channels, String data, String socketId) {

    public PusherMessage {
        channels = List.copyOf(channels);
        if (channels.isEmpty()) {
            throw new IllegalArgumentException("a Pusher message needs at least one channel");
        }
    }
}
