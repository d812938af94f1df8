package io.switchboard.cli.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ShadowChannelsTest {

    private final ShadowChannels debug = new ShadowChannels("debug-");

    @Test
    void thePrefixGoesAfterTheChannelTypePrefix() {
        assertThat(debug.map("private-audit-A")).isEqualTo("private-debug-audit-A");
        assertThat(debug.map("presence-room-1")).isEqualTo("presence-debug-room-1");
        assertThat(debug.map("private-encrypted-fiche-F")).isEqualTo("private-encrypted-debug-fiche-F");
        assertThat(debug.map("global")).isEqualTo("debug-global");
        assertThat(debug.map("private-org.1")).isEqualTo("private-debug-org.1");
        assertThat(debug.map(List.of("private-audit-A", "private-fiche-F")))
                .containsExactly("private-debug-audit-A", "private-debug-fiche-F");
    }

    @Test
    void anEmptyPrefixIsRefused() {
        assertThatThrownBy(() -> new ShadowChannels("")).hasMessageContaining("may not be empty");
        assertThatThrownBy(() -> new ShadowChannels(null)).hasMessageContaining("may not be empty");
    }

    @Test
    void aPrefixThatMakesAnInvalidChannelNameIsRefused() {
        assertThatThrownBy(() -> new ShadowChannels("debug#")).hasMessageContaining("has '#'");
        assertThatThrownBy(() -> new ShadowChannels("de bug")).hasMessageContaining("has ' '");
        assertThatThrownBy(() -> new ShadowChannels("a,b")).hasMessageContaining("has ','");
        String long160 = "x".repeat(160);
        assertThatThrownBy(() -> new ShadowChannels(long160).map("private-audit-A"))
                .hasMessageContaining("makes private-audit-A an invalid channel")
                .hasMessageContaining("over Pusher's 164");
    }

    @Test
    void aPrefixThatWouldTurnAChannelIntoAnotherTypeIsRefused() {
        // with "private-", the public channel global would become the users' private-global
        assertThatThrownBy(() -> new ShadowChannels("private-")).hasMessageContaining("starts with private-");
        assertThatThrownBy(() -> new ShadowChannels("presence-x")).hasMessageContaining("starts with presence-");
        assertThatThrownBy(() -> new ShadowChannels("encrypted-")).hasMessageContaining("starts with encrypted-");
    }
}
