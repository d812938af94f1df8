package io.switchboard.publisher.dedupe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryDedupeStoreTest extends DedupeStoreContract {

    private Instant now = Instant.parse("2026-11-24T00:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    @Override
    protected DedupeStore store(int windowSeconds) {
        return new InMemoryDedupeStore(Duration.ofSeconds(windowSeconds), 1000, clock);
    }

    @Override
    protected void letWindowPass() {
        now = now.plusSeconds(2);
    }

    @Test
    void isBoundedOldestFirst() {
        DedupeStore store = new InMemoryDedupeStore(Duration.ofHours(1), 2, clock);
        store.delivered("e1", List.of("c"));
        store.delivered("e2", List.of("c"));
        store.delivered("e3", List.of("c"));
        assertThat(store.undelivered("e1", List.of("c"))).as("e1 was forgotten").containsExactly("c");
        assertThat(store.undelivered("e3", List.of("c"))).isEmpty();
    }

    @Test
    void keepsTheNewestPairsAcrossManyTurnsOfItsRing() {
        DedupeStore store = new InMemoryDedupeStore(Duration.ofHours(1), 1000, clock);
        for (int i = 0; i < 5000; i++) {
            store.delivered("evt-" + i, List.of("private-audit-" + (i % 7), "private-fiche-" + (i % 11)));
        }
        // 10,000 pairs went through a store of 1,000: the last 500 events (two pairs each) are remembered
        for (int i = 0; i < 5000; i++) {
            List<String> channels = List.of("private-audit-" + (i % 7), "private-fiche-" + (i % 11));
            assertThat(store.undelivered("evt-" + i, channels))
                    .as("event %d", i)
                    .isEqualTo(i < 4500 ? channels : List.of());
        }
    }

    @Test
    void aPairIsOneEventOnOneChannelNotAConcatenation() {
        DedupeStore store = store(60);
        store.delivered("evt-1", List.of("private-a"));
        assertThat(store.undelivered("evt-1private-a", List.of(""))).containsExactly("");
        assertThat(store.undelivered("evt-", List.of("1private-a"))).containsExactly("1private-a");
        assertThat(store.undelivered("evt-1", List.of("private-a", "private-b")))
                .containsExactly("private-b");
    }

    @Test
    void anExpiredPairCanBeRecordedAgainAndThenCounts() {
        DedupeStore store = new InMemoryDedupeStore(Duration.ofSeconds(1), 3, clock);
        store.delivered("e1", List.of("c"));
        letWindowPass();
        store.delivered("e2", List.of("c"));
        store.delivered("e1", List.of("c"));
        store.delivered("e3", List.of("c"));
        assertThat(store.undelivered("e1", List.of("c"))).isEmpty();
        assertThat(store.undelivered("e2", List.of("c"))).isEmpty();
        assertThat(store.undelivered("e3", List.of("c"))).isEmpty();
    }
}
