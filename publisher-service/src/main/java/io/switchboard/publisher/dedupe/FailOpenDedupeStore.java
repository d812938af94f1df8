package io.switchboard.publisher.dedupe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
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
        return failOpen(() -> delegate.undelivered(eventId, channels), channels);
    }

    @Override
    public Map<String, List<String>> undelivered(Map<String, List<String>> events) {
        return failOpen(() -> delegate.undelivered(events), events);
    }

    @Override
    public void delivered(Map<String, List<String>> events) {
        failOpen(
                () -> {
                    delegate.delivered(events);
                    return null;
                },
                null);
    }

    @Override
    public void delivered(String eventId, List<String> channels) {
        failOpen(
                () -> {
                    delegate.delivered(eventId, channels);
                    return null;
                },
                null);
    }

    /** The delegate's answer, or {@code withoutDedupe} (nothing skipped) when it fails. */
    private <T> T failOpen(Supplier<T> call, T withoutDedupe) {
        try {
            T result = call.get();
            recovered();
            return result;
        } catch (RuntimeException e) {
            failed(e);
            return withoutDedupe;
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
