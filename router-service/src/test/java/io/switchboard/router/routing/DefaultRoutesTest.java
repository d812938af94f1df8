package io.switchboard.router.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every example event of the seeds (../shared/seeds, copied as seed-events.jsonl with the channels each team
 * expects) reaches exactly those channels with the built-in table, with the private- prefix on and off.
 */
class DefaultRoutesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    static Stream<Arguments> seedEvents() throws IOException {
        List<Arguments> cases = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                DefaultRoutesTest.class.getResourceAsStream("/seed-events.jsonl"), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                JsonNode row = JSON.readTree(line);
                List<String> expected = new ArrayList<>();
                row.get("channels").forEach(c -> expected.add(c.asString()));
                cases.add(Arguments.of(
                        row.get("seed").asString(), row.get("type").asString(), row.get("payload"), expected));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "seed {0}: {1} -> {3}")
    @MethodSource("seedEvents")
    void routesSeedEventWithPrivatePrefix(String seed, String type, JsonNode payload, List<String> expected) {
        ChannelRouter router = new ChannelRouter(RoutingTable.defaults(true), true);
        assertThat(names(router.route(type, payload, null))).containsExactlyElementsOf(expected);
    }

    @ParameterizedTest(name = "seed {0}: {1} without prefix")
    @MethodSource("seedEvents")
    void routesSeedEventWithoutPrivatePrefix(String seed, String type, JsonNode payload, List<String> expected) {
        ChannelRouter router = new ChannelRouter(RoutingTable.defaults(false), false);
        List<String> unprefixed =
                expected.stream().map(c -> c.substring("private-".length())).toList();
        assertThat(names(router.route(type, payload, null))).containsExactlyElementsOf(unprefixed);
    }

    private static List<String> names(ChannelRouter.RoutingDecision decision) {
        return decision.channels().stream().map(ChannelName::value).toList();
    }
}
