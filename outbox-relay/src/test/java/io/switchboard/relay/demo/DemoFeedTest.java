package io.switchboard.relay.demo;

import static io.switchboard.relay.demo.DemoScenariosTest.payload;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.relay.demo.DemoRow.Expectation;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The feed interleaves the five teams; anomaly runs bring an oversize payload and a regressing progress. */
class DemoFeedTest {

    private static final Instant NOW = Instant.parse("2026-02-27T10:00:00Z");
    private static final List<DemoTeam> TEAMS = DemoCatalog.load().teams();

    @Test
    void theTeamsTakeTurnsSoAllFiveShowUpInTheFirstFiveRows() {
        DemoFeed feed = new DemoFeed(TEAMS, 2, 9000, "test");
        List<DemoRow> rows = take(feed, 9);
        assertThat(rows.subList(0, 5)).extracting(DemoRow::seed).containsExactly("000", "001", "002", "003", "004");
        // seed 004 (every: 8) sits the next rounds out
        assertThat(rows.subList(5, 9)).extracting(DemoRow::seed).containsExactly("000", "001", "002", "003");
        assertThat(rows.get(0).type()).isEqualTo("qa.run.progress");
        assertThat(rows.get(5).type()).isEqualTo("qa.run.progress");
    }

    @Test
    void aTeamWithEveryEightWritesInEveryEighthRoundAndStartsItsNextRunWhenOneEnds() {
        List<DemoRow> rows = take(new DemoFeed(TEAMS, 0, 9000, "test"), 200);
        List<Integer> at = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).seed().equals("004")) {
                at.add(i);
            }
        }
        // a round of all five, then seven rounds of four: 004's rows are 33 rows apart
        assertThat(at).startsWith(4, 37, 70, 103);
        assertThat(rows)
                .filteredOn(r -> r.seed().equals("004"))
                .extracting(DemoRow::run)
                .startsWith(1, 2, 3, 4);
    }

    @Test
    void everySecondRunIsAnAnomalyRunByDefault() {
        List<DemoRow> rows = take(new DemoFeed(TEAMS, 2, 9000, "test"), 600);
        assertThat(runsWith(rows, Expectation.DROPPED)).startsWith(2, 4);
        assertThat(runsWith(rows, Expectation.TRUNCATED)).startsWith(2, 4);
    }

    @Test
    void anomalyEveryChangesWhichRunsCarryTheAnomalies() {
        List<DemoRow> rows = take(new DemoFeed(TEAMS, 3, 9000, "test"), 600);
        assertThat(runsWith(rows, Expectation.DROPPED)).startsWith(3, 6);
        assertThat(runsWith(rows, Expectation.TRUNCATED)).startsWith(3, 6);
    }

    @Test
    void anomalyEveryZeroMeansEveryRowIsDelivered() {
        assertThat(take(new DemoFeed(TEAMS, 0, 9000, "test"), 600))
                .extracting(DemoRow::expectation)
                .containsOnly(Expectation.DELIVERED);
    }

    @ParameterizedTest
    @ValueSource(ints = {9000, 20000})
    void theOversizeRowExceedsThePayloadLimitByHalfAndTheOthersStayWellWithinIt(int limit) {
        List<DemoRow> rows = take(new DemoFeed(TEAMS, 2, limit, "test"), 600);
        List<DemoRow> oversize = rows.stream()
                .filter(r -> r.expectation() == Expectation.TRUNCATED)
                .toList();
        assertThat(oversize).isNotEmpty().allSatisfy(row -> {
            assertThat(row.type()).isEqualTo("document.analyzed");
            assertThat(bytes(row)).isGreaterThan(limit + limit / 2).isLessThan(limit * 2);
        });
        assertThat(rows)
                .filteredOn(r -> r.expectation() != Expectation.TRUNCATED)
                .allSatisfy(row -> assertThat(bytes(row)).isLessThan(2000));
    }

    @Test
    void theRegressingRowReportsLessProgressThanItsRunAlreadyReached() {
        List<DemoRow> run = DemoScenariosTest.team("000").rows(2, true, DemoScenariosTest.LAUNCH, NOW, 9000);
        int dropped = indexOf(run, Expectation.DROPPED);
        DemoRow regress = run.get(dropped);
        int highest = run.subList(0, dropped).stream()
                .filter(r -> r.aggregateId().equals(regress.aggregateId())
                        && r.type().equals(regress.type()))
                .mapToInt(r -> payload(r).get("percent").asInt())
                .max()
                .orElseThrow();
        assertThat(regress.type()).isEqualTo("qa.run.progress");
        assertThat(payload(regress).get("percent").asInt()).isLessThan(highest);
        // and the run goes on to 100 and completes
        assertThat(run.subList(dropped + 1, run.size()))
                .extracting(DemoRow::type)
                .contains("qa.run.completed");
    }

    @Test
    void theOversizeRowReplacesTheNormalAnalysisOnAnomalyRuns() {
        List<DemoRow> run = DemoScenariosTest.team("001").rows(2, true, DemoScenariosTest.LAUNCH, NOW, 9000);
        assertThat(run)
                .filteredOn(r -> r.type().equals("document.analyzed"))
                .singleElement()
                .satisfies(row -> {
                    assertThat(row.expectation()).isEqualTo(Expectation.TRUNCATED);
                    assertThat(payload(row).get("critical_sections").size()).isGreaterThan(30);
                    assertThat(payload(row)
                                    .get("critical_sections")
                                    .get(0)
                                    .get("text")
                                    .asString())
                            .startsWith("Paragraph 1:");
                });
    }

    private static List<DemoRow> take(DemoFeed feed, int n) {
        List<DemoRow> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(feed.next(NOW));
        }
        return rows;
    }

    private static List<Integer> runsWith(List<DemoRow> rows, Expectation expectation) {
        return rows.stream()
                .filter(r -> r.expectation() == expectation)
                .map(DemoRow::run)
                .toList();
    }

    private static int indexOf(List<DemoRow> rows, Expectation expectation) {
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).expectation() == expectation) {
                return i;
            }
        }
        throw new AssertionError("no row expected to be " + expectation);
    }

    private static int bytes(DemoRow row) {
        return row.payload().getBytes(StandardCharsets.UTF_8).length;
    }
}
