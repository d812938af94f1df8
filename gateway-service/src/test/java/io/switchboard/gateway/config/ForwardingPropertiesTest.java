package io.switchboard.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** SWITCHBOARD_TRUSTED_PROXIES as Tomcat's RemoteIpValve gets it; ForwardedHeadersIT runs it in Tomcat. */
class ForwardingPropertiesTest {

    @Test
    void addressesBecomeTheirOwnBlocksAndBlocksStayAsTheyAre() {
        ForwardingProperties forwarding =
                new ForwardingProperties(List.of(" 10.0.3.7", "10.1.0.0/16 ", "", "fd00::1", "fd00::/8"));
        assertThat(forwarding.trustedProxies())
                .containsExactly("10.0.3.7/32", "10.1.0.0/16", "fd00::1/128", "fd00::/8");
        assertThat(forwarding.asTomcatCidrList()).isEqualTo("10.0.3.7/32, 10.1.0.0/16, fd00::1/128, fd00::/8");
    }

    @Test
    void noneByDefault() {
        assertThat(new ForwardingProperties(List.of()).trustedProxies()).isEmpty();
    }

    @Test
    void anythingButALiteralAddressOrBlockIsRefusedNamingTheSetting() {
        for (String proxy :
                new String[] {"lb.internal", "cafe", "300.1.1.1", "10.0.0.0/33", "10.0.0.0/x", "10.*", "10.0.0.0/8;.*"
                }) {
            assertThatThrownBy(() -> new ForwardingProperties(List.of(proxy)))
                    .as(proxy)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("SWITCHBOARD_TRUSTED_PROXIES")
                    .hasMessageContaining(proxy);
        }
    }

    @Test
    void aBlockThatTrustsEveryPeerIsRefused() {
        for (String proxy : new String[] {"0.0.0.0/0", "::/0", "10.0.0.0/00"}) {
            assertThatThrownBy(() -> new ForwardingProperties(List.of(proxy)))
                    .as(proxy)
                    .hasMessageContaining("trusts every peer");
        }
    }
}
