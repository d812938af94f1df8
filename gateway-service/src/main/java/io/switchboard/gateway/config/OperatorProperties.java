package io.switchboard.gateway.config;

import io.switchboard.gateway.operator.OperatorToken;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The operators' credential ({@code switchboard.operator.*}).
 *
 * @param token a bearer token of at least 32 bytes that browsers never hold, for the test endpoint and the
 *     management surface beyond loopback; env {@code SWITCHBOARD_OPERATOR_TOKEN}; unset by default. Never logged and
 *     never in {@link #toString()}.
 */
@ConfigurationProperties("switchboard.operator")
public record OperatorProperties(String token) {

    static final String SETTING = "switchboard.operator.token (SWITCHBOARD_OPERATOR_TOKEN)";

    /**
     * The token, or empty when none is configured; a token shorter than 32 bytes fails start-up (SecurityConfig asks
     * at start) with a message naming the setting. Checked here rather than in the constructor, because Spring Boot's
     * report of a binding failure prints the value it was binding.
     */
    public Optional<OperatorToken> operatorToken() {
        return token == null || token.isEmpty() ? Optional.empty() : Optional.of(OperatorToken.of(token, SETTING));
    }

    @Override
    public String toString() {
        return "OperatorProperties[token=" + (token == null || token.isEmpty() ? "<unset>" : "****") + "]";
    }
}
