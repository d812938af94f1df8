package io.switchboard.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.switchboard.kafka.trace.JourneyFinder;
import io.switchboard.kafka.trace.RecordValues;
import io.switchboard.kafka.trace.TopicSource;
import io.switchboard.kafka.trace.TraceTopics;
import io.switchboard.schemas.wire.PinnedSchemaRegistry;
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
import org.junit.jupiter.api.Test;

class ConsoleTraceTest {

    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
    private static final JourneyFinder FINDER =
            new JourneyFinder(TraceTopics.DEFAULT, new RecordValues(PinnedSchemaRegistry.instance()));

    private final List<Instant[]> windows = new ArrayList<>();

    @Test
    void readsTheConfiguredWindowBeforeNowAndSaysSoWhenNothingMatches() {
        ConsoleTrace trace =
                new ConsoleTrace(FINDER, this::empty, Duration.ofMinutes(30), Clock.fixed(NOW, ZoneOffset.UTC));

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
                Clock.fixed(NOW, ZoneOffset.UTC));
        CompletableFuture<ConsoleTrace.Answer> first = CompletableFuture.supplyAsync(() -> trace.trace("e1", null));
        assertThat(reading.await(10, TimeUnit.SECONDS)).isTrue();

        assertThatThrownBy(() -> trace.trace("e2", null)).isInstanceOf(ConsoleTrace.Busy.class);

        release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(first::isDone);
        assertThat(trace.trace("e2", null).journeys()).as("free again").isEmpty();
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
