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
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;

/**
 * The console's search: "what became of event X (on channel C)?", answered by kafka-support's trace core, the code
 * behind {@code switchboard trace}, over the last {@code window} of the topics. One search at a time, and each within
 * a {@link Budget} of time and records: each reads the pipeline's topics over the whole window, and a console must not
 * become a load on the cluster, nor hold a request for as long as a busy window takes to read.
 */
public final class ConsoleTrace {

    /** The journeys found, each as its lines and its answer; or, when nothing was found, why, in {@code message}. */
    public record Answer(List<Found> journeys, String message) {}

    /** One event's journey, as {@code switchboard trace} prints it. */
    public record Found(String eventId, String type, String aggregate, List<String> lines, String answer) {}

    /**
     * How much one search may read: for how long (the wall clock, from its start; a Kafka request under way when it
     * runs out finishes first) and how many records within the window, over all topics.
     */
    public record Budget(Duration time, long records) {
        /** What the console allows: half a minute, five million records. */
        public static final Budget DEFAULT = new Budget(Duration.ofSeconds(30), 5_000_000);
    }

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
    private final Budget budget;
    private final Semaphore one = new Semaphore(1);

    /** @param sources the topics within [from, to] */
    public ConsoleTrace(
            JourneyFinder finder,
            BiFunction<Instant, Instant, TopicSource> sources,
            Duration window,
            Clock clock,
            Budget budget) {
        this.finder = finder;
        this.sources = sources;
        this.window = window;
        this.clock = clock;
        this.budget = budget;
    }

    public Answer trace(String eventId, String channel) {
        if (!one.tryAcquire()) {
            throw new Busy();
        }
        try {
            Instant to = clock.instant();
            Instant from = to.minus(window);
            TraceQuery query = TraceQuery.event(eventId, channel);
            Budgeted source = new Budgeted(sources.apply(from, to), budget, clock);
            JourneyFinder.Result result;
            try {
                result = finder.find(query, source);
            } catch (OverBudget e) {
                return new Answer(
                        List.of(),
                        "The search stopped after reading " + source.read + " records in "
                                + Duration.between(to, clock.instant()).toSeconds() + " s, before the end of the last "
                                + window.toMinutes() + " minutes (a console search reads at most "
                                + budget.records() + " records, for at most "
                                + budget.time().toSeconds()
                                + " s). Narrow the window: a shorter SWITCHBOARD_CONSOLE_TRACE_WINDOW, or"
                                + " `switchboard trace --event-id " + eventId + " --since …` from a shell.");
            }
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

    /** The budget ran out. */
    private static final class OverBudget extends RuntimeException {
        OverBudget() {
            super(null, null, false, false); // control flow only: no stack trace to fill
        }
    }

    /**
     * A source that counts the records each read offers to the trace's filter (every record within the window) and
     * ends the search with {@link OverBudget} once the budget's records or time are used up; checked between reads
     * too.
     */
    private static final class Budgeted implements TopicSource {
        private final TopicSource source;
        private final Budget budget;
        private final Clock clock;
        private final Instant deadline;
        private long read;

        Budgeted(TopicSource source, Budget budget, Clock clock) {
            this.source = source;
            this.budget = budget;
            this.clock = clock;
            this.deadline = clock.instant().plus(budget.time());
        }

        @Override
        public boolean exists(String topic) {
            check();
            return source.exists(topic);
        }

        @Override
        public List<ConsumerRecord<byte[], byte[]>> read(String topic, Predicate<ConsumerRecord<byte[], byte[]>> keep) {
            check();
            return source.read(topic, record -> {
                if (read >= budget.records()) {
                    throw new OverBudget();
                }
                read++;
                check();
                return keep.test(record);
            });
        }

        private void check() {
            if (clock.instant().isAfter(deadline)) {
                throw new OverBudget();
            }
        }
    }

    private static Found found(Journey j, String channel, boolean ledger) {
        return new Found(
                j.eventId(), j.type(), j.aggregate(), JourneyReport.lines(j), JourneyReport.answer(j, channel, ledger));
    }
}
