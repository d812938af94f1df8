package io.switchboard.router.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The progress guard on each source team's real event sequences (seeds 000 to 003): a regression within a run is
 * dropped; the event that ends a run lets the next run start from zero, whichever type of the family carries it.
 */
class ProgressGuardTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ProgressGuard guard = ProgressGuard.inMemory(1000);

    /** Events of one entity, in order: type and payload. */
    private List<String> passed(String entity, String... typeAndPayload) {
        List<String> passed = new ArrayList<>();
        for (int i = 0; i < typeAndPayload.length; i += 2) {
            ProgressGuard.Poll poll = guard.poll();
            if (poll.admit(0, 0, entity, typeAndPayload[i], JSON.readTree(typeAndPayload[i + 1]))) {
                passed.add(typeAndPayload[i] + " " + typeAndPayload[i + 1]);
            }
            poll.save(1);
        }
        return passed;
    }

    private static List<String> all(String... typeAndPayload) {
        List<String> all = new ArrayList<>();
        for (int i = 0; i < typeAndPayload.length; i += 2) {
            all.add(typeAndPayload[i] + " " + typeAndPayload[i + 1]);
        }
        return all;
    }

    @Test
    void newTranscriptionRunAfterTranscriptionCompletedIsNotSwallowed() {
        // the defect: the guard remembered (aggregate, type), so transcription.completed reset only its own type
        // and the next run's transcription.progress at 10% was dropped as PROGRESS_REGRESSED
        String[] events = {
            "transcription.started", "{\"fiche_id\":\"F1\",\"status\":\"started\"}",
            "transcription.progress", "{\"fiche_id\":\"F1\",\"progress_percentage\":90,\"status\":\"in_progress\"}",
            "transcription.completed", "{\"fiche_id\":\"F1\",\"status\":\"completed\"}",
            "transcription.progress", "{\"fiche_id\":\"F1\",\"progress_percentage\":10,\"status\":\"in_progress\"}"
        };
        assertThat(passed("F1", events)).containsExactlyElementsOf(all(events));
    }

    @Test
    void seed000QaRunRegressionIsDroppedAndTheNextRunStartsFromZero() {
        String p = "{\"org_id\":1,\"qa_run_id\":123,\"status\":\"running\",\"stage\":\"render\",\"percent\":";
        assertThat(passed(
                        "org-1-qa-123",
                        "qa.run.progress",
                        p + "10}",
                        "qa.run.progress",
                        p + "42}",
                        "qa.run.progress",
                        p + "30}",
                        "qa.run.artifact.ready",
                        "{\"org_id\":1,\"qa_run_id\":123,\"artifact\":{\"kind\":\"pdf\"}}",
                        "qa.run.completed",
                        "{\"org_id\":1,\"qa_run_id\":123,\"status\":\"completed\",\"score\":86}",
                        "qa.run.progress",
                        p + "5}"))
                .containsExactly(
                        "qa.run.progress " + p + "10}",
                        "qa.run.progress " + p + "42}",
                        "qa.run.artifact.ready {\"org_id\":1,\"qa_run_id\":123,\"artifact\":{\"kind\":\"pdf\"}}",
                        "qa.run.completed {\"org_id\":1,\"qa_run_id\":123,\"status\":\"completed\",\"score\":86}",
                        "qa.run.progress " + p + "5}");
    }

    @Test
    void seed000ProgressWithATerminalStatusEndsTheRun() {
        assertThat(passed(
                        "qa-124",
                        "qa.run.progress",
                        "{\"qa_run_id\":124,\"status\":\"running\",\"percent\":80}",
                        "qa.run.progress",
                        "{\"qa_run_id\":124,\"status\":\"completed_with_failures\",\"percent\":100}",
                        "qa.run.progress",
                        "{\"qa_run_id\":124,\"status\":\"queued\",\"percent\":0}"))
                .hasSize(3);
    }

    @Test
    void seed000BatchItemsDoNotEndTheBatchRun() {
        String p = "{\"org_id\":1,\"batch_run_id\":55,\"status\":\"running\",\"percent\":";
        String item = "{\"org_id\":1,\"batch_run_id\":55,\"batch_item_id\":5512,\"status\":\"completed\"}";
        assertThat(passed(
                        "batch-55",
                        "batch.run.progress",
                        p + "12}",
                        "batch.item.completed",
                        item,
                        "batch.run.progress",
                        p + "8}",
                        "batch.run.failed",
                        "{\"batch_run_id\":55,\"status\":\"failed\",\"error_code\":\"CSV_INVALID\"}",
                        "batch.run.progress",
                        p + "3}"))
                .containsExactly(
                        "batch.run.progress " + p + "12}",
                        "batch.item.completed " + item,
                        "batch.run.failed {\"batch_run_id\":55,\"status\":\"failed\",\"error_code\":\"CSV_INVALID\"}",
                        "batch.run.progress " + p + "3}");
    }

    @Test
    void seed001RewriteProgressAcrossRewrites() {
        String p = "{\"rewrite_id\":7,\"status\":\"processing\",\"progress\":";
        assertThat(passed(
                        "rewrite-7",
                        "rewrite.queued",
                        "{\"rewrite_id\":7,\"document_id\":3,\"status\":\"queued\"}",
                        "rewrite.progress",
                        p + "30}",
                        "rewrite.progress",
                        p + "60}",
                        "rewrite.progress",
                        p + "50}",
                        "rewrite.failed",
                        "{\"rewrite_id\":7,\"status\":\"failed\",\"error\":\"timeout\"}",
                        "rewrite.progress",
                        p + "10}",
                        "rewrite.completed",
                        "{\"rewrite_id\":7,\"document_id\":3,\"status\":\"completed\"}"))
                .doesNotContain("rewrite.progress " + p + "50}")
                .contains("rewrite.progress " + p + "10}")
                .hasSize(6);
    }

    @Test
    void seed002AuditStepsEndAStepNotTheAuditRun() {
        String progress =
                "{\"audit_id\":\"A1\",\"fiche_id\":\"F1\",\"status\":\"in_progress\",\"progress_percentage\":";
        String[] events = {
            "audit.started",
            "{\"audit_id\":\"A1\",\"fiche_id\":\"F1\",\"status\":\"started\"}",
            "audit.step_completed",
            "{\"audit_id\":\"A1\",\"step_position\":1,\"status\":\"completed\"}",
            "audit.progress",
            progress + "40}",
            "audit.step_failed",
            "{\"audit_id\":\"A1\",\"step_position\":2,\"status\":\"failed\"}",
            "audit.progress",
            progress + "30}", // stale: the audit run goes on after a step fails
            "audit.progress",
            progress + "60}",
            "audit.completed",
            "{\"audit_id\":\"A1\",\"status\":\"completed\",\"score_percentage\":\"86\"}",
            "audit.progress",
            progress + "10}" // a new audit run of the same aggregate
        };
        List<String> passed = passed("A1", events);
        assertThat(passed).doesNotContain("audit.progress " + progress + "30}").hasSize(7);
        assertThat(passed.get(passed.size() - 1)).isEqualTo("audit.progress " + progress + "10}");
    }

    @Test
    void seed002TranscriptionRecordingsDoNotEndTheTranscriptionRun() {
        String p = "{\"fiche_id\":\"F2\",\"status\":\"in_progress\",\"progress_percentage\":";
        assertThat(passed(
                        "F2",
                        "transcription.progress",
                        p + "50}",
                        "transcription.recording_completed",
                        "{\"fiche_id\":\"F2\",\"status\":\"completed\"}",
                        "transcription.progress",
                        p + "40}",
                        "transcription.failed",
                        "{\"fiche_id\":\"F2\",\"status\":\"failed\"}",
                        "transcription.progress",
                        p + "10}"))
                .doesNotContain("transcription.progress " + p + "40}")
                .contains("transcription.progress " + p + "10}");
    }

    @Test
    void seed002ProgressiveFetchCompleteStartsTheNextJobFromZero() {
        String f = "fiches.progressive_fetch.";
        assertThat(passed(
                        "job-9",
                        f + "created",
                        "{\"jobId\":\"job-9\",\"status\":\"pending\",\"progress\":0}",
                        f + "progress",
                        "{\"jobId\":\"job-9\",\"status\":\"processing\",\"progress\":40}",
                        f + "progress",
                        "{\"jobId\":\"job-9\",\"status\":\"processing\",\"progress\":30}",
                        f + "complete",
                        "{\"jobId\":\"job-9\",\"status\":\"complete\",\"progress\":100}",
                        f + "created",
                        "{\"jobId\":\"job-9\",\"status\":\"pending\",\"progress\":0}"))
                .hasSize(4)
                .doesNotContain(f + "progress {\"jobId\":\"job-9\",\"status\":\"processing\",\"progress\":30}");
    }

    @Test
    void seed003JobEngineStatusEndsTheJobFamilyRun() {
        String s = "{\"jobId\":5,\"kind\":\"import\",\"type\":\"csv\",\"userId\":12,";
        assertThat(passed(
                        "job-5",
                        "JobProgressed",
                        s + "\"status\":\"processing\",\"processed\":50,\"total\":100,\"percent\":50}",
                        "JobStatusUpdated",
                        s + "\"status\":\"processing\",\"processed\":40,\"total\":100,\"percent\":40}",
                        "JobStatusUpdated",
                        s + "\"status\":\"failed\",\"processed\":40,\"total\":100}",
                        "JobProgressed",
                        s + "\"status\":\"processing\",\"processed\":5,\"total\":100,\"percent\":5}"))
                .hasSize(3)
                .doesNotContain("JobStatusUpdated " + s
                        + "\"status\":\"processing\",\"processed\":40,\"total\":100,\"percent\":40}");
    }

    @Test
    void readsPercentProgressAndProgressPercentageAndIgnoresNonNumbers() {
        assertThat(passed(
                        "A",
                        "audit.progress",
                        "{\"progress_percentage\":60.5}",
                        "audit.progress",
                        "{\"progress_percentage\":60.4}",
                        "audit.progress",
                        "{\"progress\":\"10\"}"))
                .containsExactly(
                        "audit.progress {\"progress_percentage\":60.5}", "audit.progress {\"progress\":\"10\"}");
    }

    @Test
    void eventsWithoutAnEntityPassAndEntitiesAreIndependent() {
        ProgressGuard.Poll poll = guard.poll();
        assertThat(poll.admit(0, 0, null, "batch.progress", JSON.readTree("{\"progress_percentage\":50}")))
                .isTrue();
        assertThat(poll.admit(1, 0, null, "batch.progress", JSON.readTree("{\"progress_percentage\":10}")))
                .isTrue();
        assertThat(poll.admit(2, 0, "a", "batch.progress", JSON.readTree("{\"progress_percentage\":50}")))
                .isTrue();
        assertThat(poll.admit(3, 0, "b", "batch.progress", JSON.readTree("{\"progress_percentage\":10}")))
                .isTrue();
        assertThat(poll.admit(4, 0, "a", "batch.progress", JSON.readTree("{\"progress_percentage\":10}")))
                .as("within the poll, on top of what it admitted")
                .isFalse();
    }

    @Test
    void guardAdvancesOnlyForRecordsWhoseOutputIsDurable() {
        // the defect: the guard advanced when a record was routed, before its send was acknowledged, so a batch
        // consumed again after an output failure had its own progress dropped as a regression
        ProgressGuard.Poll first = guard.poll();
        assertThat(first.admit(0, 0, "A", "audit.progress", JSON.readTree("{\"progress\":10}")))
                .isTrue();
        assertThat(first.admit(1, 0, "A", "audit.progress", JSON.readTree("{\"progress\":50}")))
                .isTrue();
        first.save(1); // record 0 durable, record 1 not

        ProgressGuard.Poll again = guard.poll();
        assertThat(again.admit(0, 0, "A", "audit.progress", JSON.readTree("{\"progress\":20}")))
                .as("compared with the durable 10, not the unacknowledged 50")
                .isTrue();
    }

    @Test
    void aRunEndingAndANewOneBeginningInOnePollIsSavedAsTheNewRun() {
        ProgressGuard.Poll poll = guard.poll();
        poll.admit(0, 0, "F", "transcription.progress", JSON.readTree("{\"progress\":90}"));
        poll.admit(1, 0, "F", "transcription.completed", JSON.readTree("{\"status\":\"completed\"}"));
        poll.admit(2, 0, "F", "transcription.progress", JSON.readTree("{\"progress\":20}"));
        poll.save(3);
        ProgressGuard.Poll next = guard.poll();
        assertThat(next.admit(0, 0, "F", "transcription.progress", JSON.readTree("{\"progress\":15}")))
                .isFalse();
        assertThat(next.admit(1, 0, "F", "transcription.progress", JSON.readTree("{\"progress\":25}")))
                .isTrue();
    }

    @Test
    void revokedPartitionIsForgottenSoItIsNotJudgedOnStaleValuesWhenItComesBack() {
        // the defect: state of a partition revoked and later given back was compared with stale values, so the
        // events of a run that progressed on another instance meanwhile were dropped
        InMemoryProgressStore store = new InMemoryProgressStore(100);
        ProgressGuard guard = new ProgressGuard(store, e -> {});
        ProgressGuard.Poll poll = guard.poll();
        poll.admit(0, 2, "A", "audit.progress", JSON.readTree("{\"progress\":80}"));
        poll.admit(1, 1, "B", "audit.progress", JSON.readTree("{\"progress\":80}"));
        poll.save(2);

        store.revoked(List.of(2)); // meanwhile run A ended and a new one reached 30 on another instance

        ProgressGuard.Poll back = guard.poll();
        assertThat(back.admit(0, 2, "A", "audit.progress", JSON.readTree("{\"progress\":40}")))
                .isTrue();
        assertThat(back.admit(1, 1, "B", "audit.progress", JSON.readTree("{\"progress\":40}")))
                .as("partition 1 was kept")
                .isFalse();
    }

    @Test
    void aFailingStoreAdmitsEventsAndIsCounted() {
        List<RuntimeException> failures = new ArrayList<>();
        ProgressStore broken = new ProgressStore() {
            @Override
            public Map<String, Double> load(int partition, java.util.Collection<String> keys) {
                throw new IllegalStateException("Redis is down");
            }

            @Override
            public void save(int partition, Map<String, Change> changes) {
                throw new IllegalStateException("Redis is down");
            }
        };
        ProgressGuard failOpen = new ProgressGuard(broken, failures::add);
        ProgressGuard.Poll poll = failOpen.poll();
        assertThat(poll.admit(0, 0, "A", "audit.progress", JSON.readTree("{\"progress\":50}")))
                .isTrue();
        poll.save(1);
        assertThat(failures).hasSize(2);
    }

    @Test
    void memoryIsBoundedLeastRecentlyUpdatedFirst() {
        InMemoryProgressStore store = new InMemoryProgressStore(2);
        ProgressGuard small = new ProgressGuard(store, e -> {});
        for (String entity : List.of("a", "b", "c")) {
            ProgressGuard.Poll poll = small.poll();
            poll.admit(0, 0, entity, "p.progress", JSON.readTree("{\"percent\":50}"));
            poll.save(1);
        }
        assertThat(store.size()).isEqualTo(2);
        assertThat(small.poll().admit(0, 0, "a", "p.progress", JSON.readTree("{\"percent\":10}")))
                .as("a was forgotten")
                .isTrue();
        assertThat(small.poll().admit(0, 0, "c", "p.progress", JSON.readTree("{\"percent\":10}")))
                .isFalse();
    }
}
