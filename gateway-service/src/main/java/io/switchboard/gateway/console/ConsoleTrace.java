package io.switchboard.gateway.console;

import io.switchboard.kafka.trace.BoundedRead;
import io.switchboard.kafka.trace.Journey;
import io.switchboard.kafka.trace.JourneyFinder;
import io.switchboard.kafka.trace.JourneyReport;
import io.switchboard.kafka.trace.TopicSource;
import io.switchboard.kafka.trace.TraceQuery;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.function.BiFunction;
import org.apache.kafka.common.KafkaException;

/**
 * The console's search: "what became of event X (on channel C)?", answered by kafka-support's trace core, the code
 * behind {@code switchboard trace}, over the last {@code window} of the topics. One search at a time: each reads the
 * pipeline's topics over the whole window, and a console must not become a load on the cluster.
 */
public final class ConsoleTrace {

    /** The journeys found, each as its lines and its answer; or, when nothing was found, why, in {@code message}. */
    public record Answer(List<Found> journeys, String message) {}

    /** One event's journey, as {@code switchboard trace} prints it. */
    public record Found(String eventId, String type, String aggregate, List<String> lines, String answer) {}

    /** Another search is running. */
    public static final class Busy extends RuntimeException {
        Busy() {
            super("another trace is running; try again in a moment");
        }
    }

    private final JourneyFinder finder;
    private final BiFunction<Instant, Instant, TopicSource> sources;
    private final Duration window;
    private final Clock clock;
    private final Semaphore one = new Semaphore(1);

    /** @param sources the topics within [from, to] */
    public ConsoleTrace(
            JourneyFinder finder, BiFunction<Instant, Instant, TopicSource> sources, Duration window, Clock clock) {
        this.finder = finder;
        this.sources = sources;
        this.window = window;
        this.clock = clock;
    }

    public Answer trace(String eventId, String channel) {
        if (!one.tryAcquire()) {
            throw new Busy();
        }
        try {
            Instant to = clock.instant();
            Instant from = to.minus(window);
            TraceQuery query = TraceQuery.event(eventId, channel);
            JourneyFinder.Result result = finder.find(query, sources.apply(from, to));
            if (result.journeys().isEmpty()) {
                return new Answer(
                        List.of(),
                        "No event matches " + query.describe() + " between " + from + " and " + to
                                + " (the console reads the last " + window.toMinutes() + " minutes).");
            }
            return new Answer(
                    result.journeys().stream()
                            .map(j -> found(j, channel, result.ledger()))
                            .toList(),
                    null);
        } catch (BoundedRead.Stalled e) {
            return new Answer(List.of(), "Kafka stopped answering while reading the topics (" + e.getMessage() + ").");
        } catch (KafkaException e) {
            return new Answer(List.of(), "Cannot read the topics: " + e.getMessage());
        } finally {
            one.release();
        }
    }

    private static Found found(Journey j, String channel, boolean ledger) {
        return new Found(
                j.eventId(), j.type(), j.aggregate(), JourneyReport.lines(j), JourneyReport.answer(j, channel, ledger));
    }
}
