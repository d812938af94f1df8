package io.switchboard.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Security review of issue 14, item 1: a Pusher user id is {@code switchboard.auth.user-id} ({@code {org_id}:{sub}}
 * here), not {@code sub} alone, so user 5 of org 1 and user 5 of org 2 are two users, for presence and for user
 * sign-in alike. Against the real gateway over HTTP.
 */
class UserIdIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static GatewayUnderTest gateway;

    @BeforeAll
    static void start() {
        gateway = GatewayUnderTest.start(
                "--switchboard.auth.user-id={org_id}:{sub}",
                "--switchboard.auth.rules[0].channel=presence-lobby",
                "--switchboard.auth.rules[0].any-caller=true",
                "--switchboard.auth.rules[1].channel=private-global",
                "--switchboard.auth.rules[1].any-caller=true");
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void userIdsDoNotCollideAcrossTenants() throws Exception {
        String org1 = TestTokens.sign("5", 1);
        String org2 = TestTokens.sign("5", 2);
        assertThat(presenceUserId(org1)).isEqualTo("1:5");
        assertThat(presenceUserId(org2)).isEqualTo("2:5");
        assertThat(signedInUserId(org1)).isEqualTo("1:5");
        assertThat(signedInUserId(org2)).isEqualTo("2:5");
    }

    @Test
    void aTokenLackingAClaimOfTheUserIdIsRefused() throws Exception {
        String noOrg = TestTokens.sign(TestTokens.valid("5", null));
        for (HttpResponse<String> refused : List.of(
                gateway.auth(noOrg, "presence-lobby"),
                gateway.auth(noOrg, "private-global"),
                gateway.userAuth(noOrg))) {
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
            assertThat(refused.body()).contains("org_id").doesNotContain("\"auth\"");
        }
        // an org_id holding the separator could pose as another tenant's user: {"org_id": "1:5"} with sub 3 is not
        // 1:5:3
        HttpResponse<String> ambiguous = gateway.auth(TestTokens.sign("3", "1:5"), "presence-lobby");
        assertThat(ambiguous.statusCode()).isEqualTo(403);
        assertThat(ambiguous.body()).doesNotContain("\"auth\"");
    }

    private static String presenceUserId(String token) throws Exception {
        HttpResponse<String> answer = gateway.auth(token, "presence-lobby");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode channelData =
                JSON.readTree(JSON.readTree(answer.body()).get("channel_data").asString());
        return channelData.get("user_id").asString();
    }

    private static String signedInUserId(String token) throws Exception {
        HttpResponse<String> answer = gateway.userAuth(token);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return JSON.readTree(JSON.readTree(answer.body()).get("user_data").asString())
                .get("id")
                .asString();
    }
}
