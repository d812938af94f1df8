package io.switchboard.router.guard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

class ProgressRuleTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @ParameterizedTest(name = "{0} is family {1}, ends its run: {2}")
    @CsvSource({
        "transcription.progress, transcription, false",
        "transcription.completed, transcription, true",
        "transcription.failed, transcription, true",
        "transcription.recording_completed, transcription.recording, true",
        "audit.progress, audit, false",
        "audit.completed, audit, true",
        "audit.step_completed, audit.step, true",
        "audit.step_failed, audit.step, true",
        "audit.fiche_fetch_completed, audit.fiche_fetch, true",
        "qa.run.progress, qa.run, false",
        "qa.run.completed, qa.run, true",
        "batch.run.cancelled, batch.run, true",
        "batch.item.completed, batch.item, true",
        "batch.progress, batch, false",
        "fiches.progressive_fetch.progress, fiches.progressive_fetch, false",
        "fiches.progressive_fetch.complete, fiches.progressive_fetch, true",
        "rewrite.canceled, rewrite, true",
        "JobProgressed, Job, false",
        "JobStatusUpdated, Job, false",
        "JobCompleted, Job, true",
        "JobFailed, Job, true",
        "import_progress, import, false",
        "import_completed, import, true",
        "notification, notification, false"
    })
    void familyAndEndOfRunByType(String type, String family, boolean ends) {
        assertThat(ProgressRule.family(type)).isEqualTo(family);
        assertThat(ProgressRule.endsRun(type, JSON.createObjectNode())).isEqualTo(ends);
    }

    @ParameterizedTest
    @CsvSource({"completed, true", "Failed, true", "completed_with_failures, true", "running, false", "paused, false"})
    void aTerminalStatusEndsTheRun(String status, boolean ends) {
        assertThat(ProgressRule.endsRun(
                        "qa.run.progress", JSON.createObjectNode().put("status", status)))
                .isEqualTo(ends);
    }
}
