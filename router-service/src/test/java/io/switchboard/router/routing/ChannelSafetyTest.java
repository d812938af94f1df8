package io.switchboard.router.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ChannelSafetyTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final ChannelRouter router = new ChannelRouter(RoutingTable.defaults(true), true);

    @ParameterizedTest(name = "audit_id = {0} is refused")
    @ValueSource(
            strings = {
                "{\"x\":1}", // object
                "[\"A\"]", // array
                "1.5", // float
                "true", // boolean
                "\"\"", // empty string
                "\"A.private-org.1\"", // separator that could reach another channel
                "\"A,B\"",
                "\"A;B\"",
                "\"A B\"",
                "\"A:B\"",
                "\"\\u0410\"", // Cyrillic A, a look-alike of Latin A
                "\"A\\u200bB\"" // zero-width space
            })
    void unsafePlaceholderValuesAreRefusedNotAltered(String value) {
        JsonNode payload = JSON.readTree("{\"audit_id\":" + value + ",\"fiche_id\":\"F\"}");
        assertThatThrownBy(() -> router.route("audit.step_completed", payload, null))
                .isInstanceOfSatisfying(
                        RoutingException.class,
                        e -> assertThat(e.reason()).isEqualTo(RoutingException.Reason.UNSAFE_PLACEHOLDER))
                .hasMessageContaining("audit_id");
    }

    @Test
    void overLongValuesAreRefused() {
        JsonNode payload = JSON.readTree("{\"audit_id\":\"" + "a".repeat(160) + "\"}");
        assertThatThrownBy(() -> router.route("audit.progress", payload, null))
                .isInstanceOfSatisfying(
                        RoutingException.class,
                        e -> assertThat(e.reason()).isEqualTo(RoutingException.Reason.UNSAFE_PLACEHOLDER));
    }

    @Test
    void integersAndSafeSymbolsFillPlaceholders() {
        JsonNode payload = JSON.readTree("{\"audit_id\":\"a_b-c=d@e\",\"fiche_id\":-7}");
        assertThat(router.route("audit.progress", payload, null).channels())
                .extracting(ChannelName::value)
                .containsExactly("private-audit-a_b-c=d@e", "private-fiche--7");
    }

    @Test
    void explicitChannelsSkipRulesButAreValidated() {
        JsonNode payload = JSON.readTree("{\"audit_id\":\"A\"}");
        assertThat(router.route("audit.progress", payload, List.of("presence-room.1", "presence-room.1"))
                        .channels())
                .extracting(ChannelName::value)
                .containsExactly("presence-room.1");
        assertThatThrownBy(() -> router.route("audit.progress", payload, List.of("ok", "bad channel")))
                .isInstanceOfSatisfying(
                        RoutingException.class,
                        e -> assertThat(e.reason()).isEqualTo(RoutingException.Reason.INVALID_CHANNEL));
    }
}
