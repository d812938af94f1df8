package io.switchboard.relay.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.relay.demo.DemoRow.Expectation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The built-in scenarios (demo/teams.yml) have the seeds' real shapes: each team's run holds its seed's events in
 * their order, with exactly the payload keys the seed documents, and progress that only goes forward.
 */
class DemoScenariosTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Instant NOW = Instant.parse("2026-02-27T10:00:00Z");
    static final String LAUNCH = "l1";
    private static final DemoCatalog CATALOG = DemoCatalog.load();

    private static final Set<String> SEED_000_COMMON = Set.of("type", "ts", "org_id", "actor_id");

    /** Each event type the demo writes, with the payload keys its seed documents (../shared/seeds). */
    private static final Map<String, Set<String>> SEED_KEYS = Map.ofEntries(
            // 000: every payload carries the common fields
            Map.entry("qa.run.progress", with000("qa_run_id", "status", "stage", "percent", "message", "meta")),
            Map.entry("qa.run.artifact.ready", with000("qa_run_id", "artifact")),
            Map.entry(
                    "qa.run.completed",
                    with000(
                            "qa_run_id",
                            "status",
                            "score",
                            "risk_level",
                            "summary_available",
                            "pdf_available",
                            "meta")),
            Map.entry("batch.run.progress", with000("batch_run_id", "status", "stage", "percent", "message", "meta")),
            Map.entry(
                    "batch.item.completed",
                    with000("batch_run_id", "batch_item_id", "row_index", "status", "proof_url", "approval", "qa")),
            Map.entry(
                    "batch.run.completed", with000("batch_run_id", "status", "export_zip_available", "export_zip_url")),
            // 001: broadcastWith() of each event
            Map.entry("document.analyzed", Set.of("document_id", "ai_confidence", "critical_sections", "analyzed_at")),
            Map.entry("rewrite.queued", Set.of("rewrite_id", "document_id", "status", "queued_at", "estimated_time")),
            Map.entry("rewrite.progress", Set.of("rewrite_id", "progress", "status")),
            Map.entry(
                    "rewrite.completed", Set.of("rewrite_id", "document_id", "status", "completed_at", "diff_summary")),
            // 002: the frontend contract
            Map.entry(
                    "transcription.started",
                    Set.of("fiche_id", "total_recordings", "priority", "started_at", "status")),
            Map.entry(
                    "transcription.recording_completed",
                    Set.of(
                            "fiche_id",
                            "call_id",
                            "transcription_id",
                            "recording_index",
                            "total_to_transcribe",
                            "status")),
            Map.entry(
                    "transcription.progress",
                    Set.of(
                            "fiche_id",
                            "total_recordings",
                            "transcribed",
                            "pending",
                            "failed",
                            "progress_percentage",
                            "status")),
            Map.entry(
                    "transcription.completed",
                    Set.of(
                            "fiche_id",
                            "total_recordings",
                            "transcribed",
                            "failed",
                            "duration_seconds",
                            "completed_at",
                            "status")),
            Map.entry(
                    "audit.started",
                    Set.of(
                            "audit_id",
                            "fiche_id",
                            "audit_config_id",
                            "audit_config_name",
                            "total_steps",
                            "started_at",
                            "status")),
            Map.entry(
                    "audit.step_started",
                    Set.of(
                            "audit_id",
                            "fiche_id",
                            "step_position",
                            "step_name",
                            "total_steps",
                            "step_weight",
                            "is_critical",
                            "status")),
            Map.entry(
                    "audit.step_completed",
                    Set.of(
                            "audit_id",
                            "fiche_id",
                            "step_position",
                            "step_name",
                            "score",
                            "max_score",
                            "conforme",
                            "total_citations",
                            "tokens_used",
                            "status")),
            Map.entry(
                    "audit.progress",
                    Set.of(
                            "audit_id",
                            "fiche_id",
                            "completed_steps",
                            "total_steps",
                            "failed_steps",
                            "current_phase",
                            "progress_percentage",
                            "status")),
            Map.entry(
                    "audit.completed",
                    Set.of(
                            "audit_id",
                            "fiche_id",
                            "overall_score",
                            "score_percentage",
                            "niveau",
                            "is_compliant",
                            "successful_steps",
                            "failed_steps",
                            "total_tokens",
                            "duration_seconds",
                            "completed_at",
                            "status")),
            Map.entry("notification", Set.of("type", "message", "description", "duration")),
            Map.entry("fiches.progressive_fetch.created", fetchKeys()),
            Map.entry("fiches.progressive_fetch.progress", with(fetchKeys(), "latestDate")),
            Map.entry("fiches.progressive_fetch.complete", fetchKeys()),
            // 003: JobStatusUpdated's constructor arguments
            Map.entry("JobStatusUpdated", Set.of("jobId", "kind", "type", "status", "processed", "total", "userId")),
            // 004: the test endpoint's default payload
            Map.entry("realtime.test", Set.of("message", "ts")));

    @Test
    void theFiveSourceTeamsTakePart() {
        assertThat(CATALOG.teams()).extracting(DemoTeam::seed).containsExactly("000", "001", "002", "003", "004");
    }

    @Test
    void everyRowHasExactlyTheKeysItsSeedDocuments() {
        for (DemoTeam team : CATALOG.teams()) {
            for (boolean anomaly : List.of(false, true)) {
                for (DemoRow row : team.rows(1, anomaly, LAUNCH, NOW, 9000)) {
                    assertThat(SEED_KEYS)
                            .as("seed %s writes %s, an event its seed does not document", team.seed(), row.type())
                            .containsKey(row.type());
                    assertThat(keys(row))
                            .as("%s of seed %s", row.type(), team.seed())
                            .isEqualTo(SEED_KEYS.get(row.type()));
                }
            }
        }
    }

    @Test
    void seed000RunsAQaRunFromZeroToAHundredThenABatchRun() {
        List<DemoRow> run = team("000").rows(1, false, LAUNCH, NOW, 9000);
        assertThat(run)
                .extracting(DemoRow::type)
                .containsExactly(
                        "qa.run.progress",
                        "qa.run.progress",
                        "qa.run.progress",
                        "qa.run.progress",
                        "qa.run.artifact.ready",
                        "qa.run.artifact.ready",
                        "qa.run.progress",
                        "qa.run.completed",
                        "batch.run.progress",
                        "batch.run.progress",
                        "batch.item.completed",
                        "batch.item.completed",
                        "batch.run.progress",
                        "batch.run.completed");
        assertThat(values(run, "qa.run.progress", "percent")).containsExactly(0, 20, 45, 70, 100);
        assertThat(values(run, "batch.run.progress", "percent")).containsExactly(0, 50, 100);
        for (DemoRow row : run) {
            JsonNode payload = payload(row);
            assertThat(payload.get("type").asString()).isEqualTo(row.type());
            assertThat(payload.get("org_id").asInt()).isEqualTo(1);
            assertThat(payload.get("ts").asString()).isEqualTo("2026-02-27T10:00:00Z");
        }
        assertThat(payload(run.get(7)).get("status").asString()).isEqualTo("completed");
        assertThat(payload(run.get(4)).at("/artifact/url").asString()).isEqualTo("/qa-runs/4101/artifacts/preview");
    }

    @Test
    void seed001AnalysesADocumentAndRewritesItWithProgress() {
        List<DemoRow> run = team("001").rows(1, false, LAUNCH, NOW, 9000);
        assertThat(run)
                .extracting(DemoRow::type)
                .containsExactly(
                        "document.analyzed",
                        "rewrite.queued",
                        "rewrite.progress",
                        "rewrite.progress",
                        "rewrite.progress",
                        "rewrite.progress",
                        "rewrite.completed");
        assertThat(values(run, "rewrite.progress", "progress")).containsExactly(10, 40, 75, 100);
        assertThat(payload(run.get(0)).get("critical_sections").get(0).has("confidence"))
                .isTrue();
        assertThat(payload(run.get(6)).get("diff_summary").propertyNames())
                .containsExactly("additions", "deletions", "similarity");
    }

    @Test
    void seed002RunsATranscriptionAnAuditAndAProgressiveFetch() {
        List<String> types = team("002").rows(1, false, LAUNCH, NOW, 9000).stream()
                .map(DemoRow::type)
                .toList();
        assertThat(types)
                .containsSubsequence(
                        "transcription.started",
                        "transcription.progress",
                        "transcription.completed",
                        "audit.started",
                        "audit.step_started",
                        "audit.step_completed",
                        "audit.progress",
                        "audit.completed",
                        "fiches.progressive_fetch.created",
                        "fiches.progressive_fetch.progress",
                        "fiches.progressive_fetch.complete");
        List<DemoRow> run = team("002").rows(1, false, LAUNCH, NOW, 9000);
        assertThat(values(run, "audit.progress", "progress_percentage")).containsExactly(50, 100);
        assertThat(values(run, "transcription.progress", "progress_percentage")).containsExactly(50, 100);
        assertThat(values(run, "audit.step_completed", "step_position")).containsExactly(1, 2);
        assertThat(payload(run.get(0)).get("fiche_id").isString()).isTrue(); // the seed's ids are strings
    }

    @Test
    void seed003ReportsAJobFromQueuedToCompleted() {
        List<DemoRow> run = team("003").rows(1, false, LAUNCH, NOW, 9000);
        assertThat(run).extracting(DemoRow::type).containsOnly("JobStatusUpdated");
        assertThat(run)
                .extracting(r -> payload(r).get("status").asString())
                .containsExactly("queued", "processing", "processing", "completed");
        assertThat(values(run, "JobStatusUpdated", "processed")).containsExactly(0, 400, 800, 1200);
    }

    @Test
    void seed004SendsTheTestEndpointsEventToItsChannel() {
        List<DemoRow> run = team("004").rows(3, false, LAUNCH, NOW, 9000);
        assertThat(run).singleElement().satisfies(row -> {
            assertThat(row.type()).isEqualTo("realtime.test");
            assertThat(row.channels()).containsExactly("private-realtime-test");
            assertThat(payload(row).get("message").asString()).isEqualTo("Realtime test #3");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"000", "001", "002", "003", "004"})
    void progressNeverGoesBackwardsInANormalRun(String seed) {
        for (int run = 1; run <= 4; run++) {
            Map<String, Integer> last = new HashMap<>();
            for (DemoRow row : team(seed).rows(run, false, LAUNCH, NOW, 9000)) {
                JsonNode payload = payload(row);
                for (String field : List.of("percent", "progress", "progress_percentage", "processed")) {
                    if (payload.has(field)) {
                        String key = row.aggregateId() + " " + row.type();
                        int value = payload.get(field).asInt();
                        assertThat(value)
                                .as("%s %s in run %d", key, field, run)
                                .isGreaterThanOrEqualTo(last.getOrDefault(key, 0));
                        last.put(key, value);
                    }
                }
                assertThat(row.expectation()).isEqualTo(Expectation.DELIVERED);
            }
        }
    }

    @Test
    void runIdsAreNewEachRunAndChannelIdsComeRoundEveryCycle() {
        Set<Object> qaRuns = new HashSet<>();
        Set<String> rewrites = new LinkedHashSet<>();
        for (int run = 1; run <= 4; run++) {
            qaRuns.add(payload(team("000").rows(run, false, LAUNCH, NOW, 9000).get(0))
                    .get("qa_run_id")
                    .asInt());
            rewrites.add(team("001").rows(run, false, LAUNCH, NOW, 9000).get(1).aggregateId());
        }
        assertThat(qaRuns).containsExactlyInAnyOrder(4101, 4102, 4103, 4104);
        assertThat(rewrites).containsExactly("881@l1", "882@l1");
    }

    @Test
    void aggregateIdsAreNewAtEachStartOfTheRelayWhilePayloadsAndChannelsStayTheSame() {
        for (DemoTeam team : CATALOG.teams()) {
            List<DemoRow> first = team.rows(1, false, "l1", NOW, 9000);
            List<DemoRow> second = team.rows(1, false, "l2", NOW, 9000);
            for (int i = 0; i < first.size(); i++) {
                assertThat(second.get(i).payload()).isEqualTo(first.get(i).payload());
                assertThat(second.get(i).channels()).isEqualTo(first.get(i).channels());
                if (first.get(i).aggregateId() != null) {
                    assertThat(first.get(i).aggregateId()).endsWith("@l1");
                    assertThat(second.get(i).aggregateId()).endsWith("@l2");
                }
            }
        }
    }

    @Test
    void everyTeamNamesItsSourceService() {
        assertThat(CATALOG.teams().stream().collect(Collectors.toMap(DemoTeam::seed, DemoTeam::source)))
                .containsEntry("000", "proofing-app")
                .containsEntry("003", "jobengine");
        for (DemoTeam team : CATALOG.teams()) {
            assertThat(team.rows(1, false, LAUNCH, NOW, 9000))
                    .extracting(DemoRow::source)
                    .containsOnly(team.source());
        }
    }

    static DemoTeam team(String seed) {
        return CATALOG.teams().stream()
                .filter(t -> t.seed().equals(seed))
                .findFirst()
                .orElseThrow();
    }

    static JsonNode payload(DemoRow row) {
        return JSON.readTree(row.payload());
    }

    private static Set<String> keys(DemoRow row) {
        return new HashSet<>(payload(row).propertyNames());
    }

    private static List<Integer> values(List<DemoRow> rows, String type, String field) {
        List<Integer> out = new ArrayList<>();
        for (DemoRow row : rows) {
            if (row.type().equals(type)) {
                out.add(payload(row).get(field).asInt());
            }
        }
        return out;
    }

    private static Set<String> with000(String... keys) {
        return with(SEED_000_COMMON, keys);
    }

    private static Set<String> fetchKeys() {
        return Set.of(
                "jobId",
                "status",
                "startDate",
                "endDate",
                "progress",
                "completedDays",
                "totalDays",
                "totalFiches",
                "datesCompleted",
                "datesRemaining",
                "datesFailed");
    }

    private static Set<String> with(Set<String> base, String... more) {
        Set<String> all = new HashSet<>(base);
        all.addAll(List.of(more));
        return Set.copyOf(all);
    }
}
