package io.switchboard.router.truncation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class PayloadTruncatorTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final PayloadTruncator truncator = new PayloadTruncator(9000);

    private TruncationResult truncate(PayloadTruncator t, String json, Set<String> keep) {
        return t.truncate(json, (ObjectNode) JSON.readTree(json), keep);
    }

    @Test
    void payloadsWithinTheLimitAreUntouched() {
        String json = "{ \"audit_id\" : \"A\", \"status\":\"completed\" }";
        TruncationResult result = truncate(truncator, json, Set.of());
        assertThat(result.json()).isSameAs(json);
        assertThat(result.truncated()).isFalse();
        assertThat(result.originalBytes()).isEqualTo(json.length());
    }

    @Test
    void anOversizeAuditStepRerunKeepsIdsCountsAndStatus() {
        // seed 002: audit.step_completed for a rerun, with large unknown objects
        String big = "x".repeat(30_000);
        String json = """
                {"rerun_id":"R1","audit_id":"audit-1787121-1","step_position":3,\
                "original":{"score":6,"explanation":"%s","citations":%s},\
                "rerun":{"score":8,"explanation":"%s"},"comparison":{"delta":2,"notes":"%s"},\
                "completed_at":"2026-02-27T10:00:00Z","status":"rerun_completed"}""".formatted(big, citations(150), big, big);
        TruncationResult result = truncate(truncator, json, Set.of());
        JsonNode out = JSON.readTree(result.json());

        assertThat(result.truncated()).isTrue();
        assertThat(result.bytes())
                .isLessThanOrEqualTo(9000)
                .isEqualTo(result.json().getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        assertThat(out.get("_truncated").asBoolean()).isTrue();
        assertThat(out.get("_original_bytes").asInt())
                .isEqualTo(result.originalBytes())
                .isGreaterThan(90_000);
        assertThat(out.get("rerun_id").asString()).isEqualTo("R1");
        assertThat(out.get("audit_id").asString()).isEqualTo("audit-1787121-1");
        assertThat(out.get("step_position").asInt()).isEqualTo(3);
        assertThat(out.get("status").asString()).isEqualTo("rerun_completed");
        assertThat(out.get("original").get("score").asInt()).isEqualTo(6);
        assertThat(out.get("original").get("citations").asInt())
                .as("a long array becomes its length")
                .isEqualTo(150);
        assertThat(out.get("original").get("explanation").asString())
                .endsWith("…")
                .hasSizeLessThan(2000);
        assertThat(result.json()).as("original key order").startsWith("{\"rerun_id\":\"R1\",\"audit_id\"");
    }

    private static String citations(int n) {
        return java.util.stream.IntStream.range(0, n)
                .mapToObj(Integer::toString)
                .collect(java.util.stream.Collectors.joining(",", "[", "]"));
    }

    @Test
    void progressiveFetchDateListsBecomeCounts() {
        // seed 002: fiches.progressive_fetch.progress over a long date range
        StringBuilder dates = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            dates.append(i == 0 ? "" : ",")
                    .append("\"2026-02-")
                    .append(String.format("%02d", i % 28 + 1))
                    .append('"');
        }
        String json =
                "{\"jobId\":\"job-77\",\"status\":\"processing\",\"progress\":33,\"completedDays\":1,\"totalDays\":3,"
                        + "\"datesCompleted\":[" + dates + "],\"datesRemaining\":[" + dates + "],\"datesFailed\":[]}";
        JsonNode out = JSON.readTree(truncate(truncator, json, Set.of()).json());
        assertThat(out.get("jobId").asString()).isEqualTo("job-77");
        assertThat(out.get("progress").asInt()).isEqualTo(33);
        assertThat(out.get("datesCompleted").asInt()).isEqualTo(2000);
        assertThat(out.get("datesRemaining").asInt()).isEqualTo(2000);
        assertThat(out.get("datesFailed").isArray()).as("short arrays stay").isTrue();
    }

    @Test
    void keepFieldsOfTheRuleStayWhole() {
        String label = "y".repeat(3000);
        String json = "{\"audit_id\":\"A\",\"step_name\":\"" + label + "\",\"blob\":\"" + "z".repeat(20_000) + "\"}";
        assertThat(JSON.readTree(truncate(truncator, json, Set.of("step_name")).json())
                        .get("step_name")
                        .asString())
                .isEqualTo(label);
        assertThat(JSON.readTree(truncate(truncator, json, Set.of()).json())
                        .get("step_name")
                        .asString())
                .hasSizeLessThan(3000);
    }

    @Test
    void whenEvenIdentifiersCannotFitThoseThatFitAreKeptAndTheRestCounted() {
        PayloadTruncator tiny = new PayloadTruncator(120);
        String json = "{\"audit_id\":\"A\",\"fiche_id\":\"" + "f".repeat(500) + "\",\"progress\":7,\"note\":\""
                + "n".repeat(500) + "\"}";
        TruncationResult result = truncate(tiny, json, Set.of());
        JsonNode out = JSON.readTree(result.json());
        assertThat(result.bytes()).isLessThanOrEqualTo(120);
        assertThat(out.get("audit_id").asString()).isEqualTo("A");
        assertThat(out.get("progress").asInt()).isEqualTo(7);
        assertThat(out.has("fiche_id"))
                .as("an identifier is dropped, never altered")
                .isFalse();
        assertThat(result.droppedFields()).isGreaterThanOrEqualTo(1);
    }

    /**
     * Regression (found by PayloadTruncatorPropertiesTest, seed 9138605749156369411): the last resort ranked fields by
     * their reduced value, so a list reduced to its length ranked as a number and, being shorter, crowded out the
     * payload's own progress and flags.
     */
    @Test
    void containersReducedToTheirLengthDoNotCrowdOutThePayloadsOwnNumbers() {
        PayloadTruncator small = new PayloadTruncator(200);
        StringBuilder json =
                new StringBuilder("{\"audit_id\":\"A\",\"progress_percentage\":42.5,\"is_complete\":false");
        for (int i = 0; i < 30; i++) { // thirty lists of long text: each becomes its length, "l7":2, at the end
            json.append(",\"l")
                    .append(i)
                    .append("\":[\"")
                    .append("x".repeat(300))
                    .append("\",\"y\"]");
        }
        json.append('}');

        TruncationResult result = truncate(small, json.toString(), Set.of());
        JsonNode out = JSON.readTree(result.json());

        assertThat(result.bytes()).isLessThanOrEqualTo(200);
        assertThat(out.get("audit_id").asString()).isEqualTo("A");
        assertThat(out.get("progress_percentage").asDouble()).isEqualTo(42.5);
        assertThat(out.get("is_complete").asBoolean()).isFalse();
        assertThat(out.get("l0").asInt()).as("lengths fill what is left").isEqualTo(2);
        assertThat(result.droppedFields()).isPositive();
    }

    /**
     * Regression (CI, PayloadTruncatorPropertiesTest.identifiersNumbersAndBooleansSurviveWhenTheyFit): the last resort
     * admitted every identifier-named field first, whatever its value, so a long text or a list under an id name took
     * the whole budget and the payload's progress and flags were dropped although they fit. Small values under id names
     * (what a client refetches by, up to 256 JSON bytes) still come first; larger ones come after numbers and flags.
     */
    @Test
    void anOversizeValueUnderAnIdNameDoesNotCrowdOutProgressAndFlags() {
        PayloadTruncator small = new PayloadTruncator(2000);
        String json = "{\"audit_id\":\"audit-1787121-1\",\"fiche_id\":\"" + "f".repeat(1_900)
                + "\",\"progress_percentage\":42.5,\"is_complete\":false,\"note\":\"" + "n".repeat(3_000) + "\"}";

        TruncationResult result = truncate(small, json, Set.of());
        JsonNode out = JSON.readTree(result.json());

        assertThat(result.bytes()).isLessThanOrEqualTo(2000);
        assertThat(out.get("audit_id").asString()).isEqualTo("audit-1787121-1");
        assertThat(out.get("progress_percentage").asDouble()).isEqualTo(42.5);
        assertThat(out.get("is_complete").asBoolean()).isFalse();
        assertThat(out.has("fiche_id"))
                .as("it no longer fits beside them, and an identifier is dropped, never altered")
                .isFalse();
        assertThat(out.get("note").asString()).isEqualTo("…");
        assertThat(result.droppedFields()).isEqualTo(1);
    }

    /** A short list of ids is an identifier: it still comes before the payload's numbers (contracts section 4). */
    @Test
    void aShortListOfIdsStillComesBeforeTheNumbers() {
        PayloadTruncator tiny = new PayloadTruncator(120);
        String json = "{\"member_ids\":[101,102,103],\"a\":1111111111,\"b\":2222222222,\"c\":3333333333,"
                + "\"d\":4444444444,\"note\":\"" + "n".repeat(500) + "\"}";

        TruncationResult result = truncate(tiny, json, Set.of());
        JsonNode out = JSON.readTree(result.json());

        assertThat(result.bytes()).isLessThanOrEqualTo(120);
        assertThat(out.get("member_ids").toString()).isEqualTo("[101,102,103]");
        assertThat(out.has("d")).as("numbers fill what is left, in order").isFalse();
        assertThat(result.droppedFields()).isPositive();
    }

    @Test
    void multiByteTextIsShortenedOnCharacterBoundaries() {
        String json = "{\"id\":1,\"text\":\"" + "é😀".repeat(5000) + "\"}";
        TruncationResult result = truncate(new PayloadTruncator(500), json, Set.of());
        assertThat(result.bytes()).isLessThanOrEqualTo(500);
        String text = JSON.readTree(result.json()).get("text").asString();
        assertThat(text).endsWith("…");
        assertThat(text.codePoints().filter(cp -> cp >= 0xD800 && cp <= 0xDFFF))
                .as("no lone surrogate")
                .isEmpty();
    }

    @Test
    void refusesLimitsTooSmallForTheMarkers() {
        assertThatThrownBy(() -> new PayloadTruncator(10)).hasMessageContaining("at least 64");
    }
}
