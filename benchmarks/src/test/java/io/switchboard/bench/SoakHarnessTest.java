package io.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;

class SoakHarnessTest {

    /**
     * The soak's first run reported each service's heap after GC from Remark and Cleanup pauses only: G1's young
     * pauses name "G1" in their cause, and the pattern refused digits there.
     */
    @Test
    void g1EvacuationPausesAreRead() {
        Matcher young = SoakHarness.PAUSE.matcher(
                "[641826ms] GC(161) Pause Young (Normal) (G1 Evacuation Pause) 101M->36M(118M) 6.362ms");
        assertThat(young.find()).isTrue();
        assertThat(young.group(3)).isEqualTo("36");
        assertThat(young.group(5)).isEqualTo("6.362");
        Matcher cleanup = SoakHarness.PAUSE.matcher("[66739ms] GC(41) Pause Cleanup 44M->44M(118M) 0.528ms");
        assertThat(cleanup.find()).isTrue();
        assertThat(cleanup.group(3)).isEqualTo("44");
        assertThat(SoakHarness.PAUSE
                        .matcher("[66741ms] GC(41) Concurrent Mark Cycle 905.448ms")
                        .find())
                .isFalse();
    }
}
