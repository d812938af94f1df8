package io.switchboard.publisher.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RetryAfterGateTest {

    private final Instant now = Instant.parse("2026-11-24T10:00:00Z");
    private final RetryAfterGate gate = new RetryAfterGate(Clock.fixed(now, ZoneOffset.UTC), Duration.ofSeconds(60));

    @Test
    void isOpenUntilPusherSaysWait() {
        assertThat(gate.remaining()).isZero();
    }

    @Test
    void readsSecondsAndHttpDates() {
        gate.retryAfter("3");
        assertThat(gate.remaining()).isEqualTo(Duration.ofSeconds(3));
        gate.retryAfter("Tue, 24 Nov 2026 10:00:07 GMT");
        assertThat(gate.remaining()).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void aShorterWaitDoesNotCutALongerOne() {
        gate.retryAfter("10");
        gate.retryAfter("2");
        assertThat(gate.remaining()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void cutsAnExcessiveWaitToTheCapAndIgnoresGarbage() {
        gate.retryAfter("86400");
        assertThat(gate.remaining()).isEqualTo(Duration.ofSeconds(60));
        RetryAfterGate fresh = new RetryAfterGate(Clock.fixed(now, ZoneOffset.UTC), Duration.ofSeconds(60));
        fresh.retryAfter("soon");
        fresh.retryAfter("-5");
        assertThat(fresh.remaining()).isZero();
    }
}
