package io.switchboard.relay.demo;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Wrong demo data stops the relay at start-up, with a message naming the team, the step and the field. */
class DemoCatalogTest {

    @Test
    void failsOnAnUnknownKeyNamingIt() {
        assertThatThrownBy(() -> parse("""
                teams:
                  - {seed: "9", label: l, source: s, steps: [{type: t, payload: {a: 1}, expected: dropped}]}
                """))
                .isInstanceOf(InvalidDemoException.class)
                .hasMessageContaining("steps[0] (t): unknown key 'expected'");
    }

    @Test
    void failsOnAPlaceholderWithoutItsVariableNamingTheTeamAndStep() {
        assertThatThrownBy(() -> parse("""
                teams:
                  - seed: "9"
                    label: l
                    source: s
                    ids: {fiche_id: "F1"}
                    steps: [{type: t, payload: {fiche_id: "{fiche_idd}"}}]
                """))
                .isInstanceOf(InvalidDemoException.class)
                .hasMessageContaining("team 9, steps[0] (t): unknown variable in {fiche_idd}");
    }

    @Test
    void failsOnArithmeticOverText() {
        assertThatThrownBy(() -> parse("""
                teams:
                  - seed: "9"
                    label: l
                    source: s
                    ids: {fiche_id: "F1", next: "{fiche_id+1}"}
                    steps: [{type: t, payload: {a: 1}}]
                """))
                .isInstanceOf(InvalidDemoException.class)
                .hasMessageContaining("team 9, ids.next: {fiche_id+1} needs an integer");
    }

    @Test
    void failsOnATruncatedExpectationWithoutGrowth() {
        assertThatThrownBy(() -> parse("""
                teams:
                  - {seed: "9", label: l, source: s, steps: [{type: t, payload: {a: 1}, expect: truncated}]}
                """))
                .isInstanceOf(InvalidDemoException.class)
                .hasMessageContaining("expect: truncated and grow go together");
    }

    @Test
    void failsOnAnUnknownRunsValueListingTheChoices() {
        assertThatThrownBy(() -> parse("""
                teams:
                  - {seed: "9", label: l, source: s, steps: [{type: t, payload: {a: 1}, runs: sometimes}]}
                """))
                .isInstanceOf(InvalidDemoException.class)
                .hasMessageContaining("runs must be one of [all, normal, anomaly]");
    }

    @Test
    void failsOnATeamWithNothingToWriteInANormalRun() {
        assertThatThrownBy(() -> parse("""
                teams:
                  - {seed: "9", label: l, source: s, steps: [{type: t, payload: {a: 1}, runs: anomaly}]}
                """))
                .isInstanceOf(InvalidDemoException.class)
                .hasMessageContaining("team 9: a normal run has no rows");
    }

    @Test
    void failsOnATeamThatWouldNeverTakeATurn() {
        assertThatThrownBy(() -> parse("""
                teams:
                  - {seed: "9", label: l, source: s, every: 0, steps: [{type: t, payload: {a: 1}}]}
                """))
                .isInstanceOf(InvalidDemoException.class)
                .hasMessageContaining("team 9: every must be a whole number of at least 1, was 0");
    }

    private static DemoCatalog parse(String yaml) {
        return DemoCatalog.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yml");
    }
}
