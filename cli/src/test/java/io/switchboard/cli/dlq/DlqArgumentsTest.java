package io.switchboard.cli.dlq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.cli.kafka.CliFailure;
import io.switchboard.cli.kafka.Durations;
import io.switchboard.cli.kafka.Rate;
import io.switchboard.cli.kafka.Table;
import io.switchboard.cli.kafka.TimeWindow;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class DlqArgumentsTest {

    @Test
    void durationsAreWrittenAsOperatorsWriteThem() {
        assertThat(Durations.parse("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("15m")).isEqualTo(Duration.ofMinutes(15));
        assertThat(Durations.parse("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(Durations.parse("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(Durations.parse("PT2H")).isEqualTo(Duration.ofHours(2));
        assertThatThrownBy(() -> Durations.parse("two hours"))
                .isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("not a duration");
        assertThat(Durations.text(Duration.ofSeconds(10))).isEqualTo("10s");
        assertThat(Durations.text(Duration.ofHours(2))).isEqualTo("2h");
    }

    @Test
    void timesAreIsoInstantsOrOffsetDateTimes() {
        assertThat(Durations.instant("2026-12-03T10:00:00Z")).isEqualTo(Instant.parse("2026-12-03T10:00:00Z"));
        assertThat(Durations.instant("2026-12-03T11:00:00+01:00")).isEqualTo(Instant.parse("2026-12-03T10:00:00Z"));
        assertThatThrownBy(() -> Durations.instant("yesterday")).isInstanceOf(TypeConversionException.class);
    }

    @Test
    void sinceIsAWindowEndingNowAndExcludesFromAndTo() {
        Selection selection = new Selection();
        selection.window.since = Duration.ofHours(2);
        Clock clock = Clock.fixed(Instant.parse("2026-12-03T10:00:00Z"), ZoneOffset.UTC);
        assertThat(selection.window(clock))
                .isEqualTo(new TimeWindow.Window(
                        Instant.parse("2026-12-03T08:00:00Z"), Instant.parse("2026-12-03T10:00:00Z")));
        selection.window.from = Instant.parse("2026-12-03T09:00:00Z");
        assertThatThrownBy(() -> selection.window(clock))
                .isInstanceOf(CliFailure.class)
                .satisfies(e -> assertThat(((CliFailure) e).exit()).isEqualTo(CliFailure.USAGE));
    }

    @Test
    void springKafkasBinaryCoordinatesAreReadAsNumbers() {
        assertThat(DeadLetter.number(ByteBuffer.allocate(4).putInt(3).array())).isEqualTo(3L);
        assertThat(DeadLetter.number(ByteBuffer.allocate(8).putLong(1L << 40).array()))
                .isEqualTo(1L << 40);
        assertThat(DeadLetter.number("17".getBytes())).isEqualTo(17L);
        assertThat(DeadLetter.number("x".getBytes())).isNull();
    }

    @Test
    void ratesAreRecordsASecond() {
        Rate.Converter rate = new Rate.Converter();
        assertThat(rate.convert("50/s")).isEqualTo(50.0);
        assertThat(rate.convert("2.5")).isEqualTo(2.5);
        assertThatThrownBy(() -> rate.convert("0/s")).isInstanceOf(TypeConversionException.class);
        assertThatThrownBy(() -> rate.convert("fast")).isInstanceOf(TypeConversionException.class);
    }

    @Test
    void tablesPadColumnsAndRightAlignNumbers() {
        StringWriter out = new StringWriter();
        new Table("STAGE", "REASON", "COUNT")
                .numeric(2)
                .row("router", "UNKNOWN_SCHEMA_ID", 12)
                .row("relay", "MISSING_TYPE", 3)
                .print(new PrintWriter(out, true));
        assertThat(out.toString().lines())
                .containsExactly(
                        "STAGE   REASON             COUNT",
                        "router  UNKNOWN_SCHEMA_ID     12",
                        "relay   MISSING_TYPE           3");
    }
}
