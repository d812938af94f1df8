package io.switchboard.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RingTest {

    @Test
    void givesTheRowsAfterACursorOldestFirst() {
        Ring<String> ring = new Ring<>(5);
        ring.append(1, "a");
        ring.append(2, "b");
        ring.append(3, "c");

        assertThat(ring.after(0)).containsExactly("a", "b", "c");
        assertThat(ring.after(1)).containsExactly("b", "c");
        assertThat(ring.after(3)).isEmpty();
    }

    @Test
    void keepsOnlyTheLastCapacityRows() {
        Ring<String> ring = new Ring<>(3);
        for (int i = 1; i <= 7; i++) {
            ring.append(i, "r" + i);
        }

        assertThat(ring.size()).isEqualTo(3);
        assertThat(ring.after(0)).containsExactly("r5", "r6", "r7");
        assertThat(ring.after(2))
                .as("a cursor older than the ring: what is left")
                .containsExactly("r5", "r6", "r7");
        assertThat(ring.after(6)).containsExactly("r7");
    }

    @Test
    void refusesACapacityBelowOne() {
        assertThatThrownBy(() -> new Ring<>(0)).hasMessageContaining("at least one row");
    }
}
