package io.switchboard.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UserAuthSignerTest {

    /** The vector of Pusher's own Node server library (pusher-http-node, {@code authenticateUser}'s tests). */
    @Test
    void signsAsPushersOwnServerLibraryDoes() {
        assertThat(new UserAuthSigner("1234", "tofu").sign("123.456", "{\"id\":\"45678\"}"))
                .isEqualTo("1234:f4b1fdeea7c93e32648c7230e32b172057c5623cace6cfce791c6e7035e0babd");
    }

    @Test
    void neverShowsTheSecret() {
        assertThat(new UserAuthSigner("1234", "tofu-secret").toString()).doesNotContain("tofu-secret");
    }
}
