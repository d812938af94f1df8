package io.switchboard.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.switchboard.kafka.trace.JourneyFinder;
import io.switchboard.kafka.trace.RecordValues;
import io.switchboard.kafka.trace.TopicSource;
import io.switchboard.kafka.trace.TraceTopics;
import io.switchboard.schemas.wire.PinnedSchemaRegistry;
import io.switchboard.schemas.wire.WireFormat;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class ConsoleTraceTest {

    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
    private static final JourneyFinder FINDER =
            new JourneyFinder(TraceTopics.DEFAULT, new RecordValues(PinnedSchemaRegistry.instance()));

    private final List<Instant[]> windows = new ArrayList<>();

    @Test
    void readsTheConfiguredWindowBeforeNowAndSaysSoWhenNothingMatches() {
        ConsoleTrace trace = new ConsoleTrace(
                FINDER,
                this::empty,
                Duration.ofMinutes(30),
                Clock.fixed(NOW, ZoneOffset.UTC),
                ConsoleTrace.Budget.DEFAULT);

        ConsoleTrace.Answer answer = trace.trace("e-404", "private-global");

        assertThat(windows).singleElement().satisfies(w -> assertThat(w).containsExactly(NOW.minusSeconds(1800), NOW));
        assertThat(answer.journeys()).isEmpty();
        assertThat(answer.message())
                .isEqualTo("No event matches --event-id e-404 --channel private-global between 2026-12-03T11:30:00Z"
                        + " and 2026-12-03T12:00:00Z (the console reads the last 30 minutes).");
    }

    @Test
    void oneSearchAtATime() throws Exception {
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ConsoleTrace trace = new ConsoleTrace(
                FINDER,
                (from, to) -> new Blocking(reading, release),
                Duration.ofHours(2),
                Clock.fixed(NOW, ZoneOffset.UTC),
                ConsoleTrace.Budget.DEFAULT);
        CompletableFuture<ConsoleTrace.Answer> first = CompletableFuture.supplyAsync(() -> trace.trace("e1", null));
        assertThat(reading.await(10, TimeUnit.SECONDS)).isTrue();

        assertThatThrownBy(() -> trace.trace("e2", null)).isInstanceOf(ConsoleTrace.Busy.class);

        release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(first::isDone);
        assertThat(trace.trace("e2", null).journeys()).as("free again").isEmpty();
    }

    /** Review of issue 16: a search had no limit but the window, however busy the topics. */
    @Test
    void aSearchStopsAtItsCapOfRecordsAndSaysToNarrowTheWindow() {
        Events events = new Events(1_000, null);
        ConsoleTrace trace = new ConsoleTrace(
                FINDER,
                (from, to) -> events,
                Duration.ofHours(2),
                Clock.fixed(NOW, ZoneOffset.UTC),
                new ConsoleTrace.Budget(Duration.ofSeconds(30), 100));

        ConsoleTrace.Answer answer = trace.trace("e-404", null);

        assertThat(events.offered)
                .as("the read ended at the first record past the cap")
                .isEqualTo(101);
        assertThat(answer.journeys()).isEmpty();
        assertThat(answer.message())
                .startsWith("The search stopped after reading 100 records in 0 s, before the end of the last 120"
                        + " minutes (a console search reads at most 100 records, for at most 30 s).")
                .contains(
                        "Narrow the window", "SWITCHBOARD_CONSOLE_TRACE_WINDOW", "switchboard trace --event-id e-404");
    }

    /** Review of issue 16: nor any limit in time. */
    @Test
    void aSearchStopsWhenItsTimeIsUp() {
        ConsoleFeedTest.TestClock clock = new ConsoleFeedTest.TestClock(NOW);
        Events events = new Events(1_000, clock); // each record takes a second to come
        ConsoleTrace trace = new ConsoleTrace(
                FINDER,
                (from, to) -> events,
                Duration.ofHours(2),
                clock,
                new ConsoleTrace.Budget(Duration.ofSeconds(30), 5_000_000));

        ConsoleTrace.Answer answer = trace.trace("e-404", null);

        assertThat(events.offered).isEqualTo(31);
        assertThat(answer.message())
                .startsWith("The search stopped after reading 31 records in 31 s,")
                .contains("Narrow the window");
    }

    @Test
    void aSearchWithinItsBudgetAnswersAsBefore() {
        ConsoleTrace trace = new ConsoleTrace(
                FINDER,
                (from, to) -> new Events(100, null),
                Duration.ofHours(2),
                Clock.fixed(NOW, ZoneOffset.UTC),
                new ConsoleTrace.Budget(Duration.ofSeconds(30), 100));

        assertThat(trace.trace("e-7", null).journeys())
                .singleElement()
                .satisfies(j -> assertThat(j.eventId()).isEqualTo("e-7"));
    }

    /** The events topic with {@code count} events e-0, e-1…; each offered record moves {@code clock} by a second. */
    private static final class Events implements TopicSource {
        private final int count;
        private final ConsoleFeedTest.TestClock clock;
        private int offered;

        Events(int count, ConsoleFeedTest.TestClock clock) {
            this.count = count;
            this.clock = clock;
        }

        @Override
        public boolean exists(String topic) {
            return topic.equals(TraceTopics.DEFAULT.events());
        }

        @Override
        public List<ConsumerRecord<byte[], byte[]>> read(String topic, Predicate<ConsumerRecord<byte[], byte[]>> keep) {
            List<ConsumerRecord<byte[], byte[]>> kept = new ArrayList<>();
            if (!exists(topic)) {
                return kept;
            }
            for (int i = 0; i < count; i++) {
                ConsumerRecord<byte[], byte[]> record = Records.record(
                        topic,
                        i,
                        "audit-1",
                        WireFormat.encode(1, Records.event("e-" + i, "audit.step_completed", "{}")),
                        new RecordHeaders());
                offered++;
                if (clock != null) {
                    clock.advance(Duration.ofSeconds(1));
                }
                if (keep.test(record)) {
                    kept.add(record);
                }
            }
            return kept;
        }
    }

    private TopicSource empty(Instant from, Instant to) {
        windows.add(new Instant[] {from, to});
        return new TopicSource() {
            @Override
            public boolean exists(String topic) {
                return false;
            }

            @Override
            public List<ConsumerRecord<byte[], byte[]>> read(
                    String topic, Predicate<ConsumerRecord<byte[], byte[]>> keep) {
                return List.of();
            }
        };
    }

    /** A source whose first read waits until the test releases it. */
    private record Blocking(CountDownLatch reading, CountDownLatch release) implements TopicSource {
        @Override
        public boolean exists(String topic) {
            return false;
        }

        @Override
        public List<ConsumerRecord<byte[], byte[]>> read(String topic, Predicate<ConsumerRecord<byte[], byte[]>> keep) {
            reading.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return List.of();
        }
    }
}
