package io.switchboard.gateway.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OperatorTokenTest {

    private static final String SETTING = "switchboard.operator.token (SWITCHBOARD_OPERATOR_TOKEN)";
    private static final String TOKEN = "an-operator-token-that-is-at-least-32-bytes";

    @Test
    void matchesOnlyItself() {
        OperatorToken token = OperatorToken.of(TOKEN, SETTING);
        assertThat(token.matches(TOKEN)).isTrue();
        assertThat(token.matches(TOKEN + "x")).isFalse();
        assertThat(token.matches(TOKEN.substring(1))).isFalse();
        assertThat(token.matches("")).isFalse();
        assertThat(token.matches(null)).isFalse();
    }

    @Test
    void aShortBlankOrSpacedTokenIsRefusedNamingTheSettingNeverTheValue() {
        String tooShort = "only-31-bytes-long-operator-tok";
        assertThat(tooShort).hasSize(31);
        assertThatThrownBy(() -> OperatorToken.of(tooShort, SETTING))
                .hasMessageContaining("SWITCHBOARD_OPERATOR_TOKEN")
                .hasMessageContaining("at least 32 bytes")
                .hasMessageNotContaining(tooShort);
        assertThatThrownBy(() -> OperatorToken.of("  ", SETTING)).hasMessageContaining("not set");
        assertThatThrownBy(() -> OperatorToken.of(TOKEN + " " + TOKEN, SETTING)).hasMessageContaining("whitespace");
        assertThat(OperatorToken.of("x".repeat(32), SETTING).matches("x".repeat(32)))
                .isTrue();
    }

    @Test
    void neverShowsTheToken() {
        assertThat(OperatorToken.of(TOKEN, SETTING).toString())
                .doesNotContain(TOKEN)
                .contains("****");
    }
}
