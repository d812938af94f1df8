package io.switchboard.publisher.dedupe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the publisher does when its dedupe store fails (Redis unreachable): it keeps publishing without dedupe,
 * counts {@code switchboard.publisher.dedupe_unavailable} and logs a warning. Realtime events are "notify, then
 * refetch": a repeated event costs a refetch, a stalled pipeline costs every user their updates. Nothing is lost.
 */
public final class FailOpenDedupeStore implements DedupeStore {

    private static final Logger log = LoggerFactory.getLogger(FailOpenDedupeStore.class);

    private final DedupeStore delegate;
    private final Counter unavailable;
    private volatile boolean failing;

    public FailOpenDedupeStore(DedupeStore delegate, MeterRegistry registry) {
        this.delegate = delegate;
        this.unavailable = Counter.builder("switchboard.publisher.dedupe_unavailable")
                .description("dedupe look-ups or writes that failed; the event was published without dedupe")
                .register(registry);
    }

    @Override
    public List<String> undelivered(String eventId, List<String> channels) {
        try {
            List<String> result = delegate.undelivered(eventId, channels);
            recovered();
            return result;
        } catch (RuntimeException e) {
            failed(e);
            return channels;
        }
    }

    @Override
    public Map<String, List<String>> undelivered(Map<String, List<String>> events) {
        try {
            Map<String, List<String>> result = delegate.undelivered(events);
            recovered();
            return result;
        } catch (RuntimeException e) {
            failed(e);
            return events;
        }
    }

    @Override
    public void delivered(Map<String, List<String>> events) {
        try {
            delegate.delivered(events);
            recovered();
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    @Override
    public void delivered(String eventId, List<String> channels) {
        try {
            delegate.delivered(eventId, channels);
            recovered();
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    private void failed(RuntimeException e) {
        unavailable.increment();
        if (!failing) {
            failing = true;
            log.warn(
                    "DEDUPE STORE UNAVAILABLE: publishing without dedupe, repeats are possible until it is back ({})",
                    e.getMessage());
        }
    }

    private void recovered() {
        if (failing) {
            failing = false;
            log.info("dedupe store is back");
        }
    }
}
