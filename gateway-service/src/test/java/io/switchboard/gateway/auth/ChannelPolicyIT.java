package io.switchboard.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.gateway.GatewayApplication;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Issue 14, finding 4 (and the channel-name part of 8): the policy compiler, against the real gateway. Unsafe
 * templates stop start-up with a message naming the rule; safe ones are read one way only, over HTTP.
 */
@ExtendWith(OutputCaptureExtension.class)
class ChannelPolicyIT {

    // 32 bytes, base64: the test's own encryption master key
    private static final String MASTER_KEY =
            java.util.Base64.getEncoder().encodeToString("a-test-master-key-of-32-bytes!!!".getBytes());

    private static GatewayUnderTest gateway;

    @BeforeAll
    static void start() {
        gateway = GatewayUnderTest.start(
                // the first matching rule decides: the catch-all tenant template comes last
                "--switchboard.auth.rules[0].channel=private-org.{org_id}",
                "--switchboard.auth.rules[0].claims.org_id=org_id",
                "--switchboard.auth.rules[1].channel=private-lobby.{room}",
                "--switchboard.auth.rules[1].any-caller=true",
                "--switchboard.auth.rules[1].unchecked=room",
                "--switchboard.auth.rules[2].channel=private-tenant-{tenant}.{room}",
                "--switchboard.auth.rules[2].claims.tenant=tenant",
                "--switchboard.auth.rules[2].claims.room=room",
                "--switchboard.auth.rules[3].channel=private-encrypted-org.{org_id}",
                "--switchboard.auth.rules[3].claims.org_id=org_id",
                "--switchboard.pusher.encryption-master-key-base64=" + MASTER_KEY);
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private static String token(Map<String, Object> claims) {
        var builder = TestTokens.valid("user-1", 1);
        claims.forEach(builder::claim);
        return TestTokens.sign(builder);
    }

    private static Throwable startFails(String... rules) {
        Throwable[] failure = new Throwable[1];
        assertThatThrownBy(() -> GatewayApplication.builder()
                        .run(GatewayUnderTest.args(rules))
                        .close())
                .satisfies(e -> failure[0] = e);
        Throwable root = failure[0];
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root;
    }

    @Test
    void placeholderValueCannotSpanTenants() throws Exception {
        // the example: tenant acme-eu must not read tenant acme's room eu-lobby
        assertThat(startFails(
                                "--switchboard.auth.rules[0].channel=private-{tenant}-{room}",
                                "--switchboard.auth.rules[0].claims.tenant=tenant",
                                "--switchboard.auth.rules[0].claims.room=room")
                        .getMessage())
                .contains("switchboard.auth.rules[0].channel")
                .contains("{tenant} and {room}");
        String acmeEu = token(Map.of("tenant", "acme-eu", "room", "eu-lobby"));
        assertThat(gateway.auth(acmeEu, "private-tenant-acme.eu-lobby").statusCode())
                .isEqualTo(403);
        assertThat(gateway.auth(acmeEu, "private-tenant-acme-eu.eu-lobby").statusCode())
                .isEqualTo(200);
        String acme = token(Map.of("tenant", "acme", "room", "eu-lobby"));
        assertThat(gateway.auth(acme, "private-tenant-acme.eu-lobby").statusCode())
                .isEqualTo(200);
    }

    @Test
    void repeatedPlaceholderStopsStartUp() {
        // the example: org 1 read private-dup.2.x.1, compared only at the last position
        assertThat(startFails(
                                "--switchboard.auth.rules[0].channel=private-dup.{org_id}.x.{org_id}",
                                "--switchboard.auth.rules[0].claims.org_id=org_id")
                        .getMessage())
                .contains("switchboard.auth.rules[0].channel")
                .contains("{org_id} twice");
    }

    @Test
    void uncheckedPlaceholderStopsStartUp() {
        assertThat(startFails(
                                "--switchboard.auth.rules[0].channel=private-org.{org_id}.room.{room}",
                                "--switchboard.auth.rules[0].claims.org_id=org_id")
                        .getMessage())
                .contains("switchboard.auth.rules[0]")
                .contains("leaves {room} unchecked")
                .contains("unchecked: [room]");
    }

    @Test
    void anyCallerRuleWithAPlaceholderStopsStartUp() {
        assertThat(startFails(
                                "--switchboard.auth.rules[0].channel=private-global",
                                "--switchboard.auth.rules[0].any-caller=true",
                                "--switchboard.auth.rules[1].channel=private-lobby.{room}",
                                "--switchboard.auth.rules[1].any-caller=true")
                        .getMessage())
                .contains("switchboard.auth.rules[1]")
                .contains("any caller")
                .contains("unchecked: [room]");
    }

    @Test
    void aPlainHttpOwnerOffLoopbackStopsStartUp() {
        assertThat(startFails(
                                "--switchboard.auth.rules[0].channel=private-doc.{id}",
                                "--switchboard.auth.rules[0].authorizer=http://documents.internal/can-read")
                        .getMessage())
                .contains("switchboard.auth.rules[0].authorizer")
                .contains("allow-http");
    }

    @Test
    void anExplicitlyUncheckedPlaceholderIsGrantedAndLoggedAtStart(CapturedOutput output) throws Exception {
        assertThat(gateway.auth(token(Map.of()), "private-lobby.anything").statusCode())
                .isEqualTo(200);
        try (GatewayUnderTest logged = GatewayUnderTest.start(
                "--switchboard.auth.rules[0].channel=private-lobby.{room}",
                "--switchboard.auth.rules[0].any-caller=true",
                "--switchboard.auth.rules[0].unchecked=room")) {
            assertThat(output.getOut())
                    .contains("channel policy: 1 rule(s)")
                    .contains("rules[0] private-lobby.{room}: any verified caller; UNCHECKED by opt-in: {room}")
                    .doesNotContain(TestTokens.SECRET);
        }
    }

    @Test
    void channelNamesOver164CharactersAreRefused() throws Exception {
        String prefix = "private-org.";
        String fits = "1".repeat(164 - prefix.length());
        assertThat(gateway.auth(token(Map.of("org_id", fits)), prefix + fits).statusCode())
                .isEqualTo(200);
        HttpResponse<String> tooLong = gateway.auth(token(Map.of("org_id", fits + "1")), prefix + fits + "1");
        assertThat(tooLong.statusCode()).isIn(400, 403);
        assertThat(tooLong.body()).doesNotContain("\"auth\"");
    }

    // security review of issue 14, item 4

    @Test
    void aClearChannelRuleCannotGrantAnEncryptedChannel() throws Exception {
        // private-{room} would match private-encrypted-x (room "encrypted-x") and hand out its shared secret
        for (String template : new String[] {"private-{room}", "private-enc{room}"}) {
            assertThat(startFails(
                                    "--switchboard.auth.rules[0].channel=" + template,
                                    "--switchboard.auth.rules[0].any-caller=true",
                                    "--switchboard.auth.rules[0].unchecked=room")
                            .getMessage())
                    .as(template)
                    .contains("switchboard.auth.rules[0].channel")
                    .contains("could match private-encrypted-");
        }
        // a rule written for encrypted channels grants them, with the shared secret, to its own tenant only
        String org1 = token(Map.of("org_id", 1));
        HttpResponse<String> own = gateway.auth(org1, "private-encrypted-org.1");
        assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
        assertThat(own.body()).contains("shared_secret");
        HttpResponse<String> other = gateway.auth(org1, "private-encrypted-org.2");
        assertThat(other.statusCode()).isEqualTo(403);
        assertThat(other.body()).doesNotContain("shared_secret");
        // and the clear rules' templates never match an encrypted channel
        HttpResponse<String> lobby = gateway.auth(org1, "private-encrypted-lobby.x");
        assertThat(lobby.statusCode()).isEqualTo(403);
        assertThat(lobby.body()).doesNotContain("shared_secret");
    }
}
