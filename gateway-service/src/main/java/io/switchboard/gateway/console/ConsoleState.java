package io.switchboard.gateway.console;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the console knows, bounded: the last published events, the last events not published, the data size of the
 * last routed events (to join with their receipts), and the channels' rates. Written by the feed's thread, read by
 * HTTP requests; every method holds the one lock, each briefly.
 */
public final class ConsoleState {

    /** What is new after a cursor: the page sends the cursor it was last given. */
    public record Feed(long cursor, List<PublishedEvent> events, List<NotPublished> notPublished) {}

    private final Ring<PublishedEvent> events;
    private final Ring<NotPublished> notPublished;
    private final Map<String, PublishedEvent.Data> data;
    private final ChannelRates rates;
    private final Clock clock;
    private long sequence;

    /** Rates over the last {@value #RATE_SECONDS} s, for channels with an event in the last 15 minutes (1,000 at most). */
    public static final int RATE_SECONDS = 60;

    /**
     * @param capacity rows kept in each list; the data of up to ten times as many routed events is kept for the join
     */
    public ConsoleState(int capacity, Clock clock) {
        this(capacity, new ChannelRates(Duration.ofSeconds(RATE_SECONDS), Duration.ofMinutes(15), 1000), clock);
    }

    ConsoleState(int capacity, ChannelRates rates, Clock clock) {
        this.events = new Ring<>(capacity);
        this.notPublished = new Ring<>(capacity);
        int dataCapacity = capacity * 10;
        this.data = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, PublishedEvent.Data> eldest) {
                return size() > dataCapacity;
            }
        };
        this.rates = rates;
        this.clock = clock;
    }

    synchronized void published(PublishedEvent event) {
        events.append(++sequence, event);
        for (String channel : event.channels()) {
            rates.record(channel, event.settledAt());
        }
    }

    synchronized void routed(String eventId, PublishedEvent.Data routed) {
        data.put(eventId, routed);
    }

    synchronized void notPublished(NotPublished row) {
        notPublished.append(++sequence, row);
    }

    /**
     * The rows added after {@code cursor} (0: every row kept), oldest first, with the cursor to send next time. An
     * event's data size is joined here rather than when its receipt arrives, since the two topics are read
     * independently and either record may come first.
     */
    public synchronized Feed after(long cursor) {
        long from = cursor > sequence ? 0 : cursor; // a cursor from before a restart of the gateway
        List<PublishedEvent> newEvents = events.after(from).stream()
                .map(e -> e.with(data.get(e.eventId())))
                .toList();
        return new Feed(sequence, newEvents, notPublished.after(from));
    }

    /** Channels with recent traffic, busiest first. */
    public synchronized List<ChannelRate> channels() {
        return rates.snapshot(Instant.now(clock));
    }
}
