package io.switchboard.cli.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class RateTest {

    /**
     * A lower bound only, so a slow machine cannot fail it. Regression: a rate made long before its first record (the
     * producer starts in between) let the first two records go back to back.
     */
    @Test
    void nRecordsTakeAtLeastNMinusOneIntervalsEvenAfterAnIdleStart() throws InterruptedException {
        Rate rate = new Rate(20); // one every 50 ms
        Thread.sleep(200);
        long first = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            rate.acquire();
        }
        long elapsedMillis = (System.nanoTime() - first) / 1_000_000;
        assertThat(elapsedMillis).as("5 records at 20/s: 4 intervals of 50 ms").isGreaterThanOrEqualTo(195);
    }

    @Test
    void aRateIsMoreThanZero() {
        Rate.Converter converter = new Rate.Converter();
        assertThatThrownBy(() -> converter.convert("0/s")).isInstanceOf(TypeConversionException.class);
        assertThatThrownBy(() -> converter.convert("-5/s"))
                .isInstanceOf(TypeConversionException.class)
                .hasMessage("'-5/s' is not a rate: write N/s with N > 0, e.g. 50/s");
        assertThatThrownBy(() -> new Rate(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Rate(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
