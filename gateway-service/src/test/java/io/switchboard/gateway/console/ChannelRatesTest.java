package io.switchboard.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ChannelRatesTest {

    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");

    private final ChannelRates rates = new ChannelRates(Duration.ofSeconds(60), Duration.ofMinutes(15), 3);

    @Test
    void countsTheEventsOfTheLastMinutePerChannelBusiestFirst() {
        for (int i = 0; i < 30; i++) {
            rates.record("private-global", NOW.minusSeconds(i));
        }
        rates.record("private-org.1", NOW.minusSeconds(5));

        assertThat(rates.snapshot(NOW))
                .containsExactly(
                        new ChannelRate("private-global", 30, 0.5, NOW),
                        new ChannelRate("private-org.1", 1, 1 / 60.0, NOW.minusSeconds(5)));
    }

    @Test
    void anEventOlderThanTheWindowNoLongerCountsButTheChannelStaysListedUntilIdle() {
        rates.record("private-org.1", NOW.minusSeconds(61));
        rates.record("private-org.1", NOW.minusSeconds(59));

        assertThat(rates.snapshot(NOW))
                .containsExactly(new ChannelRate("private-org.1", 1, 1 / 60.0, NOW.minusSeconds(59)));
        assertThat(rates.snapshot(NOW.plus(Duration.ofMinutes(10))))
                .containsExactly(new ChannelRate("private-org.1", 0, 0, NOW.minusSeconds(59)));
        assertThat(rates.snapshot(NOW.plus(Duration.ofMinutes(16))))
                .as("idle for 15 min")
                .isEmpty();
    }

    @Test
    void historyReadAtStartCountsWhenItHappenedNotWhenItWasRead() {
        rates.record("private-org.1", NOW.minus(Duration.ofMinutes(5)));

        assertThat(rates.snapshot(NOW)).extracting(ChannelRate::events).containsExactly(0L);
    }

    @Test
    void aBucketReusedByALaterSecondIsNotCountedForAnOlderEvent() {
        rates.record("c", NOW);
        rates.record("c", NOW.minusSeconds(60)); // same bucket, one window earlier

        assertThat(rates.snapshot(NOW)).extracting(ChannelRate::events).containsExactly(1L);
    }

    @Test
    void theChannelIdleLongestMakesRoomForANewOne() {
        rates.record("a", NOW.minusSeconds(30));
        rates.record("b", NOW.minusSeconds(10));
        rates.record("c", NOW.minusSeconds(20));
        rates.record("d", NOW);

        assertThat(rates.snapshot(NOW)).extracting(ChannelRate::channel).containsExactlyInAnyOrder("b", "c", "d");
    }
}
