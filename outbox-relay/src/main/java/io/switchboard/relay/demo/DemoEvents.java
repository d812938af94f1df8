package io.switchboard.relay.demo;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo of {@code ./switchboard dev} (docs/demo.md): on each {@link #tick} it writes the rows that are due into
 * the outbox, as the five source teams' services would. Plain Java, driven by a scheduler in the relay and by hand in
 * tests, with the clock injected. One scheduler thread ticks it; {@link #stop} may come from another.
 */
public final class DemoEvents {

    private static final Logger log = LoggerFactory.getLogger(DemoEvents.class);

    private final DemoFeed feed;
    private final DemoPacer pacer;
    private final DemoSink sink;
    private final Clock clock;
    private final int payloadLimit;
    private final Map<String, Integer> runs = new HashMap<>();
    private DemoRow pending;
    private boolean failing;
    private boolean stopped;

    public DemoEvents(DemoFeed feed, DemoPacer pacer, DemoSink sink, Clock clock, int payloadLimit) {
        this.feed = feed;
        this.pacer = pacer;
        this.sink = sink;
        this.clock = clock;
        this.payloadLimit = payloadLimit;
    }

    /** Writes the rows due now; a row that could not be written is written first on the next tick. */
    public synchronized void tick() {
        if (stopped) {
            return;
        }
        for (int due = pacer.due(); due > 0; due--) {
            if (pending == null) {
                pending = feed.next(clock.instant());
            }
            try {
                sink.write(pending);
            } catch (DemoSink.Unavailable e) {
                if (!failing) {
                    log.warn("demo: cannot write into the outbox, trying again: {}", e.getMessage());
                    failing = true;
                }
                return;
            }
            if (failing) {
                log.info("demo: writing into the outbox again");
                failing = false;
            }
            pacer.wrote();
            report(pending);
            pending = null;
        }
    }

    /**
     * Writes nothing more; once it returns, no tick is writing. The relay calls it as its context closes, before the
     * relay loop stops, so the rows written last are still relayed rather than left for the next start.
     */
    public synchronized void stop() {
        if (!stopped) {
            stopped = true;
            log.info("demo: stopped");
        }
    }

    private void report(DemoRow row) {
        Integer last = runs.put(row.seed(), row.run());
        if (last == null || last != row.run()) {
            log.debug("demo: seed {} begins run {}", row.seed(), row.run());
        }
        switch (row.expectation()) {
            case TRUNCATED ->
                log.info(
                        "demo: seed {} wrote {} of {} bytes for {}, over the {}-byte payload limit: the router truncates it",
                        row.seed(),
                        row.type(),
                        row.payload().getBytes(StandardCharsets.UTF_8).length,
                        row.aggregateId(),
                        payloadLimit);
            case DROPPED ->
                log.info(
                        "demo: seed {} wrote {} for {} with a progress lower than the last one: the router's progress"
                                + " guard drops it",
                        row.seed(),
                        row.type(),
                        row.aggregateId());
            case DELIVERED -> log.debug("demo: seed {} wrote {} for {}", row.seed(), row.type(), row.aggregateId());
        }
    }
}
