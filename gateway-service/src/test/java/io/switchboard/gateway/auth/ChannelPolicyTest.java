package io.switchboard.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.gateway.auth.ChannelPolicy.Rule;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChannelPolicyTest {

    private static final URI DOCUMENTS = URI.create("http://documents.internal/realtime/can-read");
    private final List<String> asked = new ArrayList<>();

    private final ChannelPolicy policy = new ChannelPolicy(
            List.of(
                    new Rule("private-org.{org_id}", Map.of("org_id", "org_id"), null, false),
                    new Rule("presence-org.{org_id}", Map.of("org_id", "org_id"), null, false),
                    new Rule("private-job-status.{userId}", Map.of("userId", "sub"), null, false),
                    new Rule("private-global", null, null, true),
                    new Rule("private-documents.{document_id}", null, DOCUMENTS, false)),
            (url, channel, params, caller) -> {
                asked.add(url + " " + channel + " " + params + " " + caller.subject());
                return params.get("document_id").equals("7");
            },
            List.of("name"));

    private static Caller caller(String sub, Object orgId) {
        return new Caller(sub, Map.of("sub", sub, "org_id", orgId, "name", "Ada"), "token");
    }

    @Test
    void aClaimRuleGrantsTheCallersOwnTenantOnly() {
        assertThat(policy.decide("private-org.42", caller("u1", 42)).allowed()).isTrue();
        assertThat(policy.decide("private-org.42", caller("u1", "42")).allowed())
                .isTrue();
        ChannelAuthorizer.Decision other = policy.decide("private-org.43", caller("u1", 42));
        assertThat(other.allowed()).isFalse();
        assertThat(other.reason()).contains("org_id");
    }

    @Test
    void aSubjectRuleGrantsTheCallersOwnChannelOnly() {
        assertThat(policy.decide("private-job-status.u1", caller("u1", 1)).allowed())
                .isTrue();
        assertThat(policy.decide("private-job-status.u2", caller("u1", 1)).allowed())
                .isFalse();
    }

    @Test
    void noCallerAndNoMatchingRuleAreRefused() {
        assertThat(policy.decide("private-org.42", null).allowed()).isFalse();
        assertThat(policy.decide("private-audit-A", caller("u1", 42)).allowed()).isFalse();
        // a placeholder matches one channel-name segment, not a suffix trick
        assertThat(policy.decide("private-org.42.extra", caller("u1", "42.extra"))
                        .allowed())
                .isTrue();
        assertThat(policy.decide("private-org.", caller("u1", "")).allowed()).isFalse();
    }

    @Test
    void anyCallerRuleGrantsEveryVerifiedCaller() {
        assertThat(policy.decide("private-global", caller("u9", 1)).allowed()).isTrue();
    }

    @Test
    void anAuthorizerRuleAsksTheOwningService() {
        assertThat(policy.decide("private-documents.7", caller("u1", 1)).allowed())
                .isTrue();
        assertThat(policy.decide("private-documents.8", caller("u1", 1)).allowed())
                .isFalse();
        assertThat(asked)
                .containsExactly(
                        DOCUMENTS + " private-documents.7 {document_id=7} u1",
                        DOCUMENTS + " private-documents.8 {document_id=8} u1");
    }

    @Test
    void presenceMembersCarryTheirSubjectAndChosenClaims() {
        ChannelAuthorizer.Decision decision = policy.decide("presence-org.5", caller("u1", 5));
        assertThat(decision.allowed()).isTrue();
        assertThat(decision.presence().userId()).isEqualTo("u1");
        assertThat(decision.presence().userInfo()).containsExactly(Map.entry("name", "Ada"));
    }

    @Test
    void badRulesStopStartUpNamingTheRuleAndField() {
        assertThatThrownBy(() -> new ChannelPolicy(
                        List.of(new Rule("org.{org_id}", Map.of("org_id", "org_id"), null, false)), null, List.of()))
                .hasMessageContaining("switchboard.auth.rules[0].channel");
        assertThatThrownBy(() -> new ChannelPolicy(
                        List.of(
                                new Rule("private-global", null, null, true),
                                new Rule("private-org.{org_id}", Map.of("orgId", "org_id"), null, false)),
                        null,
                        List.of()))
                .hasMessageContaining("switchboard.auth.rules[1].claims")
                .hasMessageContaining("{orgId}");
        assertThatThrownBy(() ->
                        new ChannelPolicy(List.of(new Rule("private-org.{org_id", null, null, true)), null, List.of()))
                .hasMessageContaining("malformed placeholder");
        assertThatThrownBy(() -> new ChannelPolicy(List.of(new Rule("private-x", null, null, false)), null, List.of()))
                .hasMessageContaining("exactly one of claims, authorizer and any-caller");
        assertThatThrownBy(() ->
                        new ChannelPolicy(List.of(new Rule("private-x", Map.of(), DOCUMENTS, true)), null, List.of()))
                .hasMessageContaining("exactly one of");
    }
}
