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
}
