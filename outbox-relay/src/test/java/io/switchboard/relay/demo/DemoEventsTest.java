package io.switchboard.relay.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each tick writes the rows that are due; a row the outbox refused is written first when it takes rows again. */
class DemoEventsTest {

    private final TestClock clock = new TestClock(Instant.parse("2026-02-27T10:00:00Z"));
    private final List<DemoRow> written = new ArrayList<>();
    private boolean down;

    private final DemoSink sink = row -> {
        if (down) {
            throw new DemoSink.Unavailable("connection refused", null);
        }
        written.add(row);
    };

    private final DemoEvents demo = new DemoEvents(
            new DemoFeed(DemoCatalog.load().teams(), 2, 9000, "test"), new DemoPacer(5, clock), sink, clock, 9000);

    @Test
    void writesTheFiveTeamsRowsAtTheRateWithTheTimeOfWriting() {
        runFor(Duration.ofSeconds(2));
        assertThat(written).hasSize(10);
        assertThat(written)
                .extracting(DemoRow::seed)
                .containsExactly("000", "001", "002", "003", "004", "000", "001", "002", "003", "000");
        // {now} is the time the row was written, not the time its run started
        assertThat(DemoScenariosTest.payload(written.get(0)).get("ts").asString())
                .isEqualTo("2026-02-27T10:00:00.200Z");
        assertThat(DemoScenariosTest.payload(written.get(5)).get("ts").asString())
                .isEqualTo("2026-02-27T10:00:01.200Z");
    }

    @Test
    void aRowTheOutboxRefusedIsWrittenFirstOnceItTakesRowsAgainSoNoStepOfARunIsLost() {
        runFor(Duration.ofSeconds(1)); // 5 rows: one per team
        down = true;
        runFor(Duration.ofSeconds(3));
        down = false;
        runFor(Duration.ofSeconds(1));
        List<DemoRow> qaRun =
                written.stream().filter(r -> r.seed().equals("000")).toList();
        assertThat(qaRun)
                .extracting(r -> DemoScenariosTest.payload(r).get("percent").asInt())
                .startsWith(0, 20);
        assertThat(written.get(5).seed()).isEqualTo("000"); // the refused row, then the turns go on
    }

    @Test
    void writesNothingOnceStopped() {
        runFor(Duration.ofSeconds(1));
        demo.stop();
        runFor(Duration.ofSeconds(3));
        assertThat(written).hasSize(5);
    }

    private void runFor(Duration duration) {
        for (long ms = 0; ms < duration.toMillis(); ms += 50) {
            clock.advance(Duration.ofMillis(50));
            demo.tick();
        }
    }
}
