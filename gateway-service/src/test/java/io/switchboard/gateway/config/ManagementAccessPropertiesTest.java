package io.switchboard.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.gateway.config.ManagementAccessProperties.Access;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/**
 * Finding 8, the rule itself (tests bind only to loopback, so the non-loopback case is pinned here; ManagementSurfaceIT
 * runs the operator-token path over HTTP with {@code access=operator-token}).
 */
class ManagementAccessPropertiesTest {

    @Test
    void detailsAreOpenOnlyOnALoopbackManagementAddressInAutoMode() throws Exception {
        ManagementAccessProperties auto = new ManagementAccessProperties(Access.AUTO);
        assertThat(auto.openWithoutToken(InetAddress.getByName("127.0.0.1"))).isTrue();
        assertThat(auto.openWithoutToken(InetAddress.getByName("::1"))).isTrue();
        assertThat(auto.openWithoutToken(InetAddress.getByName("0.0.0.0")))
                .as("the README's container setting")
                .isFalse();
        assertThat(auto.openWithoutToken(InetAddress.getByName("10.0.0.7"))).isFalse();
        assertThat(auto.openWithoutToken(InetAddress.getByName("::"))).isFalse();
        assertThat(auto.openWithoutToken(null)).as("unset: every interface").isFalse();
    }

    @Test
    void operatorTokenModeNeedsTheTokenOnLoopbackToo() throws Exception {
        assertThat(new ManagementAccessProperties(Access.OPERATOR_TOKEN)
                        .openWithoutToken(InetAddress.getByName("127.0.0.1")))
                .isFalse();
    }
}
