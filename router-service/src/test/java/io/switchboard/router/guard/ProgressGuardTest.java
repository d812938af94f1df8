package io.switchboard.router.guard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ProgressGuardTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final ProgressGuard guard = new ProgressGuard(1000);

    private static JsonNode json(String s) {
        return JSON.readTree(s);
    }

    @Test
    void percentNeverGoesBackwardsPerEntityAndType() {
        // seed 000: qa.run.progress, "percent must never go backwards"
        assertThat(guard.admit("qa-123", "qa.run.progress", json("{\"percent\":10,\"status\":\"running\"}")))
                .isTrue();
        assertThat(guard.admit("qa-123", "qa.run.progress", json("{\"percent\":42,\"status\":\"running\"}")))
                .isTrue();
        assertThat(guard.admit("qa-123", "qa.run.progress", json("{\"percent\":30,\"status\":\"running\"}")))
                .isFalse();
        assertThat(guard.admit("qa-123", "qa.run.progress", json("{\"percent\":42,\"status\":\"running\"}")))
                .as("equal progress passes")
                .isTrue();
        assertThat(guard.admit("qa-999", "qa.run.progress", json("{\"percent\":5}")))
                .as("another entity")
                .isTrue();
        assertThat(guard.admit("qa-123", "batch.run.progress", json("{\"percent\":5}")))
                .as("another type")
                .isTrue();
    }

    @Test
    void readsProgressAndProgressPercentageToo() {
        assertThat(guard.admit("job-77", "fiches.progressive_fetch.progress", json("{\"progress\":66}")))
                .isTrue();
        assertThat(guard.admit("job-77", "fiches.progressive_fetch.progress", json("{\"progress\":33}")))
                .isFalse();
        assertThat(guard.admit("A1", "audit.progress", json("{\"progress_percentage\":60.5}")))
                .isTrue();
        assertThat(guard.admit("A1", "audit.progress", json("{\"progress_percentage\":60.4}")))
                .isFalse();
    }

    @Test
    void terminalEventsAlwaysPassAndLetANewRunStartFromZero() {
        guard.admit("fiche-1", "transcription.progress", json("{\"progress_percentage\":90}"));
        assertThat(guard.admit(
                        "fiche-1",
                        "transcription.progress",
                        json("{\"progress_percentage\":50,\"status\":\"failed\"}")))
                .isTrue();
        assertThat(guard.admit("fiche-1", "transcription.progress", json("{\"progress_percentage\":0}")))
                .as("after a terminal event the next run starts over")
                .isTrue();
        assertThat(guard.admit("job-1", "fiches.progressive_fetch.complete", json("{\"progress\":100}")))
                .isTrue();
        assertThat(guard.admit("u12", "JobCompleted", json("{\"progress\":1}"))).isTrue();
    }

    @Test
    void eventsWithoutEntityOrProgressPass() {
        assertThat(guard.admit(null, "batch.progress", json("{\"progress_percentage\":50}")))
                .isTrue();
        assertThat(guard.admit(null, "batch.progress", json("{\"progress_percentage\":10}")))
                .isTrue();
        assertThat(guard.admit("A", "audit.started", json("{\"status\":\"started\"}")))
                .isTrue();
        assertThat(guard.admit("A", "audit.progress", json("{\"progress\":\"50\"}")))
                .as("not a number")
                .isTrue();
    }

    @Test
    void stateIsBoundedLeastRecentlyUpdatedFirst() {
        ProgressGuard small = new ProgressGuard(2);
        small.admit("a", "p", json("{\"percent\":50}"));
        small.admit("b", "p", json("{\"percent\":50}"));
        small.admit("c", "p", json("{\"percent\":50}"));
        assertThat(small.size()).isEqualTo(2);
        assertThat(small.admit("a", "p", json("{\"percent\":10}")))
                .as("a was forgotten")
                .isTrue();
        assertThat(small.admit("c", "p", json("{\"percent\":10}"))).isFalse();
    }
}
