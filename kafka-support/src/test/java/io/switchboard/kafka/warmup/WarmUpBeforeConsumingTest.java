package io.switchboard.kafka.warmup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WarmUpBeforeConsumingTest {

    private static WarmUp counting(String name, AtomicInteger count, int failAt) {
        return new WarmUp() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void once() {
                if (count.incrementAndGet() == failAt) {
                    throw new IllegalStateException("boom");
                }
            }
        };
    }

    @Test
    void eachWarmUpRunsItsIterationsAndAFailingOneNeitherStopsStartUpNorTheOthers() {
        AtomicInteger failing = new AtomicInteger();
        AtomicInteger fine = new AtomicInteger();
        new WarmUpBeforeConsuming(
                        List.of(counting("failing", failing, 10), counting("fine", fine, -1)),
                        new WarmUpSettings(true, 500, Duration.ofMinutes(1), Duration.ofSeconds(30)))
                .start();
        assertThat(failing).hasValue(10);
        assertThat(fine).hasValue(500);
    }

    @Test
    void maxTimeBoundsTheWarmUpsInAll() {
        AtomicInteger slow = new AtomicInteger();
        WarmUp sleeping = new WarmUp() {
            @Override
            public String name() {
                return "slow";
            }

            @Override
            public void once() {
                slow.incrementAndGet();
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        long started = System.nanoTime();
        new WarmUpBeforeConsuming(
                        List.of(sleeping), new WarmUpSettings(true, 1_000_000, Duration.ofMillis(200), Duration.ZERO))
                .start();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(slow.get()).isBetween(1, 100);
    }

    @Test
    void negativeSettingsAreRefusedWithTheirName() {
        assertThatThrownBy(() -> new WarmUpSettings(true, -1, Duration.ZERO, Duration.ZERO))
                .hasMessageContaining("switchboard.warm-up.iterations");
    }
}
