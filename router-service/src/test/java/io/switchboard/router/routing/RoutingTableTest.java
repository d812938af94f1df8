package io.switchboard.router.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RoutingTableTest {

    private static RoutingTable table(String yaml) {
        return RoutingTable.of(
                RoutingTable.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yml"), true);
    }

    @Test
    void failsOnUnknownPlaceholderSyntax() {
        assertThatThrownBy(() -> table("rules: [{name: r1, types: ['a.*'], channels: ['x-{a.b}']}]"))
                .hasMessageContaining("rule 'r1'")
                .hasMessageContaining("channels[0]")
                .hasMessageContaining("{a.b}");
    }

    @Test
    void failsOnTemplateThatCanNeverBeValid() {
        assertThatThrownBy(() -> table("rules: [{name: r2, types: ['a.*'], channels: ['ok-{id}', 'bad:{id}']}]"))
                .hasMessageContaining("rule 'r2'")
                .hasMessageContaining("channels[1]");
        assertThatThrownBy(() -> table("rules: [{name: r3, types: ['a'], channels: ['" + "x".repeat(170) + "']}]"))
                .hasMessageContaining("rule 'r3'")
                .hasMessageContaining("over Pusher's 164");
    }

    @Test
    void failsOnEmptyRule() {
        assertThatThrownBy(() -> table("rules: [{name: r4, types: ['a.*']}]"))
                .hasMessageContaining("rule 'r4'")
                .hasMessageContaining("'channels' may not be empty");
        assertThatThrownBy(() -> table("rules: [{types: ['a.*'], channels: ['x']}]"))
                .hasMessageContaining("rule #1")
                .hasMessageContaining("'name'");
        assertThatThrownBy(() -> table("rules: [{name: r5, types: ['a.*'], chanels: ['x']}]"))
                .hasMessageContaining("rule 'r5'")
                .hasMessageContaining("unknown field 'chanels'");
    }

    @Test
    void firstMatchWinsAndRulesMayTurnThePrefixOff() {
        RoutingTable table = table("""
                rules:
                  - {name: public-news, types: ['news.*'], channels: ['news'], private: false}
                  - {name: all, types: ['*'], channels: ['user-{user_id}']}
                """);
        ChannelRouter router = new ChannelRouter(table, true);
        var payload = tools.jackson.databind.json.JsonMapper.builder().build().readTree("{\"user_id\":5}");
        assertThat(router.route("news.published", payload, null).channels())
                .extracting(ChannelName::value)
                .containsExactly("news");
        assertThat(router.route("news", payload, null).channels())
                .extracting(ChannelName::value)
                .containsExactly("private-user-5");
    }
}
