package io.switchboard.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KeyedRateLimiterTest {

    @Test
    void eachKeyHasItsOwnBudgetAndAnOverdrawnKeyIsToldHowLongToWait() {
        KeyedRateLimiter limiter = new KeyedRateLimiter("test", 2, Duration.ofHours(1), 1000);
        assertThat(limiter.tryAcquire("a")).isEmpty();
        assertThat(limiter.tryAcquire("a")).isEmpty();
        Optional<Duration> wait = limiter.tryAcquire("a");
        assertThat(wait).isPresent();
        assertThat(wait.get()).isPositive().isLessThanOrEqualTo(Duration.ofHours(1));
        assertThat(limiter.tryAcquire("b")).isEmpty();
    }

    @Test
    void retryAfterIsWholeSecondsRoundedUpAndAtLeastOne() {
        assertThat(KeyedRateLimiter.retryAfterSeconds(Duration.ZERO)).isEqualTo(1);
        assertThat(KeyedRateLimiter.retryAfterSeconds(Duration.ofMillis(1))).isEqualTo(1);
        assertThat(KeyedRateLimiter.retryAfterSeconds(Duration.ofMillis(1001))).isEqualTo(2);
        assertThat(KeyedRateLimiter.retryAfterSeconds(Duration.ofSeconds(7))).isEqualTo(7);
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> new KeyedRateLimiter("x", 0, Duration.ofSeconds(1), 1000))
                .hasMessageContaining("at least 1");
        assertThatThrownBy(() -> new KeyedRateLimiter("x", 1, Duration.ZERO, 1000))
                .hasMessageContaining("positive");
    }
}
