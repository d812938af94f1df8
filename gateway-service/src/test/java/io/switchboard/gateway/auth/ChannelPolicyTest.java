package io.switchboard.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.gateway.auth.ChannelPolicy.Rule;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChannelPolicyTest {

    private static final URI DOCUMENTS = URI.create("https://documents.internal/realtime/can-read");
    private final List<String> asked = new ArrayList<>();

    private final ChannelPolicy policy = new ChannelPolicy(
            List.of(
                    Rule.claims("private-org.{org_id}", Map.of("org_id", "org_id")),
                    Rule.claims("presence-org.{org_id}", Map.of("org_id", "org_id")),
                    Rule.claims("private-job-status.{userId}", Map.of("userId", "sub")),
                    Rule.anyCaller("private-global"),
                    Rule.owner("private-documents.{document_id}", DOCUMENTS),
                    Rule.owner("presence-documents.{document_id}", DOCUMENTS)),
            (url, channel, params, caller) -> {
                asked.add(url + " " + channel + " " + params + " " + caller.subject());
                return params.get("document_id").equals("7")
                        ? new OwnerAnswer(OwnerAnswer.Outcome.ALLOWED, Map.of("role", "editor"))
                        : OwnerAnswer.of(OwnerAnswer.Outcome.REFUSED);
            },
            List.of("name"));

    private static Caller caller(String sub, Object orgId) {
        Map<String, Object> claims = new HashMap<>(Map.of("org_id", orgId, "name", "Ada"));
        if (sub != null) {
            claims.put("sub", sub);
        }
        return new Caller(sub, claims, "token");
    }

    private static ChannelPolicy compile(Rule... rules) {
        return new ChannelPolicy(List.of(rules), (url, channel, params, caller) -> null, List.of());
    }

    @Test
    void aClaimRuleGrantsTheCallersOwnTenantOnly() {
        assertThat(policy.decide("private-org.42", caller("u1", 42)).allowed()).isTrue();
        assertThat(policy.decide("private-org.42", caller("u1", "42")).allowed())
                .isTrue();
        ChannelAuthorizer.Decision other = policy.decide("private-org.43", caller("u1", 42));
        assertThat(other.allowed()).isFalse();
        assertThat(other.refusal()).isEqualTo(Refusal.CLAIM_MISMATCH);
        assertThat(other.reason()).contains("org_id");
    }

    @Test
    void aSubjectRuleGrantsTheCallersOwnChannelOnly() {
        assertThat(policy.decide("private-job-status.u1", caller("u1", 1)).allowed())
                .isTrue();
        assertThat(policy.decide("private-job-status.u2", caller("u1", 1)).refusal())
                .isEqualTo(Refusal.CLAIM_MISMATCH);
    }

    @Test
    void noCallerAndNoMatchingRuleAreRefused() {
        assertThat(policy.decide("private-org.42", null).refusal()).isEqualTo(Refusal.NO_TOKEN);
        assertThat(policy.decide("private-audit-A", caller("u1", 42)).refusal()).isEqualTo(Refusal.NO_RULE);
        // a value holds no separator: org "42.extra" cannot name a channel with another segment
        assertThat(policy.decide("private-org.42.extra", caller("u1", "42.extra"))
                        .refusal())
                .isEqualTo(Refusal.NO_RULE);
        assertThat(policy.decide("private-org.", caller("u1", "")).refusal()).isEqualTo(Refusal.NO_RULE);
    }

    @Test
    void anyCallerRuleGrantsEveryVerifiedCaller() {
        assertThat(policy.decide("private-global", caller("u9", 1)).allowed()).isTrue();
    }

    @Test
    void anAuthorizerRuleAsksTheOwningService() {
        assertThat(policy.decide("private-documents.7", caller("u1", 1)).allowed())
                .isTrue();
        ChannelAuthorizer.Decision refused = policy.decide("private-documents.8", caller("u1", 1));
        assertThat(refused.refusal()).isEqualTo(Refusal.OWNER_REFUSED);
        assertThat(asked)
                .containsExactly(
                        DOCUMENTS + " private-documents.7 {document_id=7} u1",
                        DOCUMENTS + " private-documents.8 {document_id=8} u1");
    }

    @Test
    void eachOwnerFailureIsRefusedWithItsOwnCode() {
        Map<OwnerAnswer.Outcome, Refusal> expected = Map.of(
                OwnerAnswer.Outcome.ERROR, Refusal.OWNER_ERROR,
                OwnerAnswer.Outcome.TIMEOUT, Refusal.OWNER_TIMEOUT,
                OwnerAnswer.Outcome.BUSY, Refusal.OWNER_BUSY,
                OwnerAnswer.Outcome.REFUSED, Refusal.OWNER_REFUSED);
        expected.forEach((outcome, refusal) -> {
            ChannelPolicy owned = new ChannelPolicy(
                    List.of(Rule.owner("private-doc.{id}", DOCUMENTS)),
                    (url, channel, params, caller) -> OwnerAnswer.of(outcome),
                    List.of());
            assertThat(owned.decide("private-doc.1", caller("u1", 1)).refusal())
                    .as(outcome.name())
                    .isEqualTo(refusal);
        });
    }

    @Test
    void presenceMembersCarryTheirSubjectAndChosenClaims() {
        ChannelAuthorizer.Decision decision = policy.decide("presence-org.5", caller("u1", 5));
        assertThat(decision.allowed()).isTrue();
        assertThat(decision.presence().userId()).isEqualTo("u1");
        assertThat(decision.presence().userInfo()).containsExactly(Map.entry("name", "Ada"));
    }

    @Test
    void presenceMembersOfAnOwnedChannelCarryTheOwnersUserInfoAndTheTokensSubject() {
        ChannelAuthorizer.Decision decision = policy.decide("presence-documents.7", caller("u1", 5));
        assertThat(decision.presence().userId()).isEqualTo("u1");
        assertThat(decision.presence().userInfo()).containsExactly(Map.entry("role", "editor"));
    }

    @Test
    void anOwnerRuleWithATokenLackingSubIsRefusedWithoutAsking() {
        ChannelAuthorizer.Decision[] decision = new ChannelAuthorizer.Decision[1];
        assertThatCode(() -> decision[0] = policy.decide("private-documents.7", caller(null, 1)))
                .doesNotThrowAnyException();
        assertThat(decision[0].refusal()).isEqualTo(Refusal.NO_SUBJECT);
        assertThat(policy.decide("presence-org.5", caller(" ", 5)).refusal()).isEqualTo(Refusal.NO_SUBJECT);
        assertThat(asked).isEmpty();
    }

    @Test
    void channelNamesOverPushersLimitOrWithForeignCharactersAreRefused() {
        String longest = "private-org." + "1".repeat(164 - "private-org.".length());
        assertThat(policy.decide(longest, caller("u1", "1".repeat(152))).allowed())
                .isTrue();
        assertThat(policy.decide(longest + "1", caller("u1", "1".repeat(153))).refusal())
                .isEqualTo(Refusal.NAME_INVALID);
        assertThat(policy.decide("private-org.5 ", caller("u1", "5 ")).refusal())
                .isEqualTo(Refusal.NAME_INVALID);
    }

    // finding 4: the placeholder charset and the separator rule

    @Test
    void placeholderValueCannotSpanTenants() {
        assertThatThrownBy(() ->
                        compile(Rule.claims("private-{tenant}-{room}", Map.of("tenant", "tenant", "room", "room"))))
                .hasMessageContaining("switchboard.auth.rules[0].channel")
                .hasMessageContaining("{tenant} and {room}");
        ChannelPolicy safe =
                compile(Rule.claims("private-tenant-{tenant}.{room}", Map.of("tenant", "tenant", "room", "room")));
        Caller acmeEu = new Caller("u1", Map.of("tenant", "acme-eu", "room", "lobby"), "t");
        // acme-eu reads its own room, and no split of acme's channel is acme-eu's
        assertThat(safe.decide("private-tenant-acme-eu.lobby", acmeEu).allowed())
                .isTrue();
        assertThat(safe.decide("private-tenant-acme.eu-lobby", acmeEu).allowed())
                .isFalse();
        assertThat(safe.decide("private-tenant-acme.eu.lobby", acmeEu).allowed())
                .isFalse();
    }

    @Test
    void adjacentPlaceholdersStopStartUp() {
        assertThatThrownBy(() -> compile(Rule.claims("private-x.{a}{b}", Map.of("a", "a", "b", "b"))))
                .hasMessageContaining("switchboard.auth.rules[0].channel")
                .hasMessageContaining("{a} and {b}");
    }

    @Test
    void repeatedPlaceholderStopsStartUp() {
        assertThatThrownBy(() -> compile(
                        Rule.anyCaller("private-global"),
                        Rule.claims("private-dup.{org_id}.x.{org_id}", Map.of("org_id", "org_id"))))
                .hasMessageContaining("switchboard.auth.rules[1].channel")
                .hasMessageContaining("{org_id} twice");
    }

    @Test
    void uncheckedPlaceholderStopsStartUpUnlessNamedInUnchecked() {
        assertThatThrownBy(() -> compile(Rule.claims("private-org.{org_id}.room.{room}", Map.of("org_id", "org_id"))))
                .hasMessageContaining("switchboard.auth.rules[0]")
                .hasMessageContaining("leaves {room} unchecked")
                .hasMessageContaining("unchecked: [room]");
        ChannelPolicy optedIn = compile(new Rule(
                "private-org.{org_id}.room.{room}", Map.of("org_id", "org_id"), null, false, List.of("room"), false));
        Caller org1 = new Caller("u1", Map.of("org_id", 1), "t");
        assertThat(optedIn.decide("private-org.1.room.any", org1).allowed()).isTrue();
        assertThat(optedIn.decide("private-org.2.room.any", org1).allowed()).isFalse();
        assertThat(optedIn.describe()).contains("UNCHECKED by opt-in: {room}");
    }

    @Test
    void anyCallerRuleWithAPlaceholderStopsStartUpUnlessNamedInUnchecked() {
        assertThatThrownBy(() -> compile(Rule.anyCaller("private-lobby.{room}")))
                .hasMessageContaining("switchboard.auth.rules[0]")
                .hasMessageContaining("any caller")
                .hasMessageContaining("{room}");
        ChannelPolicy optedIn = compile(new Rule("private-lobby.{room}", null, null, true, List.of("room"), false));
        assertThat(optedIn.decide("private-lobby.r1", new Caller("u1", Map.of(), "t"))
                        .allowed())
                .isTrue();
    }

    @Test
    void placeholderValuesTakeTheRoutersCharsetOnly() {
        ChannelPolicy single = compile(Rule.claims("private-org.{org_id}", Map.of("org_id", "org_id")));
        for (String value : List.of("a-b", "a_b", "a=b", "a@b", "AZaz09")) {
            assertThat(single.decide("private-org." + value, new Caller("u", Map.of("org_id", value), "t"))
                            .allowed())
                    .as(value)
                    .isTrue();
        }
        for (String value : List.of("a.b", "a,b", "a;b")) {
            assertThat(single.decide("private-org." + value, new Caller("u", Map.of("org_id", value), "t"))
                            .allowed())
                    .as(value)
                    .isFalse();
        }
    }

    @Test
    void ownerUrlsMustBeHttpsUnlessLoopbackOrAllowed() {
        assertThatThrownBy(() -> compile(Rule.owner("private-doc.{id}", URI.create("http://documents/can-read"))))
                .hasMessageContaining("switchboard.auth.rules[0].authorizer")
                .hasMessageContaining("allow-http");
        assertThatCode(() -> compile(Rule.owner("private-doc.{id}", URI.create("http://127.0.0.1:8080/can-read"))))
                .doesNotThrowAnyException();
        assertThatCode(() -> compile(Rule.owner("private-doc.{id}", URI.create("http://localhost/can-read"))))
                .doesNotThrowAnyException();
        assertThatCode(() -> compile(
                        new Rule("private-doc.{id}", null, URI.create("http://documents/can-read"), false, null, true)))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> compile(Rule.owner("private-doc.{id}", URI.create("ftp://documents/can-read"))))
                .hasMessageContaining("https");
        assertThatThrownBy(() -> compile(Rule.owner("private-doc.{id}", URI.create("https://u:p@documents/x"))))
                .hasMessageContaining("credentials")
                .hasMessageNotContaining("u:p");
    }

    @Test
    void describeShowsEveryRuleInOneBlockWithoutSecrets() {
        ChannelPolicy described = new ChannelPolicy(
                List.of(
                        Rule.claims("private-org.{org_id}", Map.of("org_id", "org_id")),
                        Rule.anyCaller("private-global"),
                        Rule.owner("private-doc.{id}", URI.create("https://documents/can-read?key=s3cret"))),
                (url, channel, params, caller) -> null,
                List.of("name"));
        assertThat(described.describe())
                .contains("3 rule(s)")
                .contains("rules[0] private-org.{org_id}: {org_id} = claim org_id")
                .contains("rules[1] private-global: any verified caller")
                .contains("rules[2] private-doc.{id}: the owner decides, https://documents/can-read")
                .contains("A-Z a-z 0-9 _ - = @")
                .doesNotContain("s3cret");
    }

    @Test
    void badRulesStopStartUpNamingTheRuleAndField() {
        assertThatThrownBy(() -> compile(Rule.claims("org.{org_id}", Map.of("org_id", "org_id"))))
                .hasMessageContaining("switchboard.auth.rules[0].channel");
        assertThatThrownBy(() -> compile(
                        Rule.anyCaller("private-global"),
                        Rule.claims("private-org.{org_id}", Map.of("orgId", "org_id"))))
                .hasMessageContaining("switchboard.auth.rules[1].claims")
                .hasMessageContaining("{orgId}");
        assertThatThrownBy(() -> compile(Rule.anyCaller("private-org.{org_id")))
                .hasMessageContaining("malformed placeholder");
        assertThatThrownBy(() -> compile(new Rule("private-x", null, null, false, null, false)))
                .hasMessageContaining("exactly one of claims, authorizer and any-caller");
        assertThatThrownBy(() -> compile(new Rule("private-x", Map.of(), DOCUMENTS, true, null, false)))
                .hasMessageContaining("exactly one of");
        assertThatThrownBy(() -> new ChannelPolicy(List.of(Rule.owner("private-doc.{id}", DOCUMENTS)), null, List.of()))
                .hasMessageContaining("switchboard.auth.rules[0].authorizer");
    }

    // the security review of issue 14

    @Test
    void userIdsDoNotCollideAcrossTenants() {
        ChannelPolicy tenants = new ChannelPolicy(
                List.of(Rule.anyCaller("presence-lobby"), Rule.anyCaller("private-global")),
                (url, channel, params, caller) -> null,
                List.of(),
                UserIds.compile("switchboard.auth.user-id", "{org_id}:{sub}"));
        assertThat(tenants.decide("presence-lobby", caller("5", 1)).presence().userId())
                .isEqualTo("1:5");
        assertThat(tenants.decide("presence-lobby", caller("5", 2)).presence().userId())
                .isEqualTo("2:5");
        // a claim of the user id is required in every token, whatever the channel
        Caller noOrg = new Caller("5", Map.of("name", "Ada"), "t");
        for (String channel : List.of("presence-lobby", "private-global")) {
            ChannelAuthorizer.Decision refused = tenants.decide(channel, noOrg);
            assertThat(refused.refusal()).as(channel).isEqualTo(Refusal.NO_USER_ID);
            assertThat(refused.reason()).contains("org_id");
        }
        assertThat(tenants.describe()).contains("user_id = {org_id}:{sub}");
    }

    @Test
    void aTenantClaimTheUserIdLeavesOutIsNamedForTheStartUpWarning() {
        assertThat(policy.claimsLeftOutOfUserId()).containsExactly("org_id");
        ChannelPolicy tenantSafe = new ChannelPolicy(
                List.of(Rule.claims("private-org.{org_id}", Map.of("org_id", "org_id"))),
                null,
                List.of(),
                UserIds.compile("switchboard.auth.user-id", "{org_id}:{sub}"));
        assertThat(tenantSafe.claimsLeftOutOfUserId()).isEmpty();
        assertThat(compile(Rule.claims("private-job-status.{userId}", Map.of("userId", "sub")))
                        .claimsLeftOutOfUserId())
                .isEmpty();
    }

    @Test
    void aClearChannelTemplateCannotMatchAnEncryptedChannel() {
        for (String template : List.of(
                "private-{room}",
                "private-e{room}",
                "private-enc{room}",
                "private-encrypted{room}",
                "private-{room}.x")) {
            assertThatThrownBy(() -> compile(new Rule(template, null, null, true, List.of("room"), false)))
                    .as(template)
                    .hasMessageContaining("switchboard.auth.rules[0].channel")
                    .hasMessageContaining("could match private-encrypted-")
                    .hasMessageContaining("shared secret");
        }
        // a literal start that leaves private-encrypted- at a fixed position cannot, nor can one that is the prefix
        for (String template : List.of(
                "private-room.{room}",
                "private-e.{room}",
                "private-encrypted-{room}",
                "private-encryptedx{room}",
                "presence-{room}",
                "private-encrypted-x")) {
            assertThatCode(() -> compile(new Rule(
                            template, null, null, true, template.contains("{") ? List.of("room") : List.of(), false)))
                    .as(template)
                    .doesNotThrowAnyException();
        }
        // an encrypted channel is granted by a rule for encrypted channels only
        ChannelPolicy both = compile(
                Rule.claims("private-encrypted-org.{org_id}", Map.of("org_id", "org_id")),
                Rule.claims("private-org.{org_id}", Map.of("org_id", "org_id")));
        assertThat(both.decide("private-encrypted-org.1", caller("u1", 1)).allowed())
                .isTrue();
        assertThat(both.decide("private-encrypted-org.2", caller("u1", 1)).refusal())
                .isEqualTo(Refusal.CLAIM_MISMATCH);
        assertThat(compile(Rule.claims("private-org.{org_id}", Map.of("org_id", "org_id")))
                        .decide("private-encrypted-org.1", caller("u1", 1))
                        .refusal())
                .isEqualTo(Refusal.NO_RULE);
    }
}
