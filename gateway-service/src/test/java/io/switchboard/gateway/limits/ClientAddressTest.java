package io.switchboard.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClientAddressTest {

    @Test
    void ipv4IsItselfAndIpv6IsItsSlash64() {
        assertThat(ClientAddress.key("203.0.113.7")).isEqualTo("203.0.113.7");
        assertThat(ClientAddress.key("2001:db8:1:2:aaaa::1"))
                .isEqualTo(ClientAddress.key("2001:db8:1:2:bbbb:cccc:dddd:eeee"))
                .endsWith("/64");
        assertThat(ClientAddress.key("2001:db8:1:2::1")).isNotEqualTo(ClientAddress.key("2001:db8:1:3::1"));
    }

    @Test
    void somethingElseIsKeptAsItIsWithoutAskingDns() {
        assertThat(ClientAddress.key("not-an-address:80")).isEqualTo("not-an-address:80");
        assertThat(ClientAddress.key(null)).isEqualTo("null");
    }
}
