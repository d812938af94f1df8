package io.switchboard.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.gateway.GatewayApplication;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * Security review of issue 14, item 3: names-only mode signs channels for anonymous callers, so it starts only on a
 * loopback address (unless an operator opts in), and it never hands out an encrypted channel's shared secret.
 * Against the real gateway over HTTP.
 */
class NamesOnlyIT {

    @Test
    void namesOnlyModeRefusesToStartBeyondLoopback() {
        // 192.0.2.10 is a documentation address (RFC 5737): even a bind attempt could not expose anything here
        Throwable[] failure = new Throwable[1];
        assertThatThrownBy(() -> GatewayApplication.builder()
                        .run(GatewayUnderTest.args("--switchboard.auth.mode=names-only", "--server.address=192.0.2.10"))
                        .close())
                .satisfies(e -> failure[0] = e);
        Throwable root = failure[0];
        while (root.getCause() != null) {
            root = root.getCause();
        }
        assertThat(root.getMessage())
                .contains("names-only")
                .contains("server.address (SWITCHBOARD_BIND_ADDRESS) is 192.0.2.10")
                .contains("SWITCHBOARD_AUTH_NAMES_ONLY_ON_ANY_ADDRESS");
    }

    @Test
    void namesOnlyModeNeverSignsAnEncryptedChannel() throws Exception {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        try (GatewayUnderTest namesOnly = GatewayUnderTest.start(
                "--switchboard.auth.mode=names-only",
                "--switchboard.pusher.encryption-master-key-base64="
                        + Base64.getEncoder().encodeToString(key))) {
            HttpResponse<String> encrypted = namesOnly.auth(null, "private-encrypted-room");
            assertThat(encrypted.statusCode()).as(encrypted.body()).isEqualTo(403);
            assertThat(encrypted.body()).doesNotContain("shared_secret").doesNotContain("\"auth\"");
            HttpResponse<String> clear = namesOnly.auth(null, "private-room");
            assertThat(clear.statusCode()).as(clear.body()).isEqualTo(200);
            assertThat(clear.body()).contains("\"auth\"");
        }
    }
}
