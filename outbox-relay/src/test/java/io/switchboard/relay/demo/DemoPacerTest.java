package io.switchboard.relay.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The demo writes at its rate, by the injected clock. */
class DemoPacerTest {

    @ParameterizedTest(name = "{0} rows/s for 10 s: {1} rows")
    @CsvSource({"2, 20", "5, 50", "0.5, 5", "40, 400"})
    void writesRateRowsPerSecond(double rate, int expected) {
        TestClock clock = new TestClock(Instant.parse("2026-02-27T10:00:00Z"));
        DemoPacer pacer = new DemoPacer(rate, clock);
        int written = 0;
        for (int tick = 0; tick < 200; tick++) { // 10 s in 50 ms ticks
            written += writeDue(pacer);
            clock.advance(Duration.ofMillis(50));
        }
        written += writeDue(pacer);
        assertThat(written).isEqualTo(expected);
    }

    @Test
    void aWriterThatFellBehindCatchesUpByOneSecondsWorthAtMost() {
        TestClock clock = new TestClock(Instant.parse("2026-02-27T10:00:00Z"));
        DemoPacer pacer = new DemoPacer(5, clock);
        pacer.due();
        clock.advance(Duration.ofSeconds(60)); // the database was down for a minute
        assertThat(writeDue(pacer)).isEqualTo(5);
        clock.advance(Duration.ofSeconds(1));
        assertThat(writeDue(pacer)).isEqualTo(5);
    }

    @Test
    void nothingIsWrittenUntilARowIsDue() {
        TestClock clock = new TestClock(Instant.parse("2026-02-27T10:00:00Z"));
        DemoPacer pacer = new DemoPacer(2, clock);
        assertThat(pacer.due()).isZero();
        clock.advance(Duration.ofMillis(499));
        assertThat(pacer.due()).isZero();
        clock.advance(Duration.ofMillis(1));
        assertThat(pacer.due()).isEqualTo(1);
    }

    @Test
    void aRateMustBePositive() {
        TestClock clock = new TestClock(Instant.EPOCH);
        assertThatThrownBy(() -> new DemoPacer(0, clock)).hasMessageContaining("rate");
        assertThatThrownBy(() -> new DemoPacer(Double.NaN, clock)).hasMessageContaining("rate");
    }

    private static int writeDue(DemoPacer pacer) {
        int due = pacer.due();
        for (int i = 0; i < due; i++) {
            pacer.wrote();
        }
        return due;
    }
}
