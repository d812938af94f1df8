package io.switchboard.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** switchboard.auth.user-id on its own: the template, the required claims, and ids that read back one way. */
class UserIdsTest {

    private static final UserIds ORG_SUB = UserIds.compile("switchboard.auth.user-id", "{org_id}:{sub}");

    private static Caller caller(String sub, Map<String, Object> claims) {
        return new Caller(sub, claims, "t");
    }

    @Test
    void theDefaultIsTheSubject() {
        assertThat(UserIds.subject().of(caller("5", Map.of("org_id", 1)))).isEqualTo("5");
        assertThat(UserIds.subject().claims()).containsExactly("sub");
    }

    @Test
    void userIdsDoNotCollideAcrossTenants() {
        // one sub, two tenants: two users
        assertThat(ORG_SUB.of(caller("5", Map.of("org_id", 1)))).isEqualTo("1:5");
        assertThat(ORG_SUB.of(caller("5", Map.of("org_id", 2)))).isEqualTo("2:5");
        assertThat(ORG_SUB.of(caller("5", Map.of("org_id", "acme")))).isEqualTo("acme:5");
    }

    @Test
    void everyClaimTheTemplateNamesIsRequired() {
        for (Map<String, Object> claims :
                List.<Map<String, Object>>of(Map.of(), Map.of("org_id", " "), Map.of("org_id", List.of(1)))) {
            Caller caller = caller("5", claims);
            assertThat(ORG_SUB.of(caller)).as(claims.toString()).isNull();
            assertThat(ORG_SUB.problem(caller)).contains("org_id").contains("switchboard.auth.user-id");
        }
        assertThat(ORG_SUB.of(null)).isNull();
    }

    @Test
    void anIdIsReadBackOneWayOnly() {
        // org "1:2" with sub "3" would be org "1" with sub "2:3": the value before a separator may not hold it
        assertThat(ORG_SUB.of(caller("3", Map.of("org_id", "1:2")))).isNull();
        assertThat(ORG_SUB.problem(caller("3", Map.of("org_id", "1:2"))))
                .contains("org_id")
                .contains("':'");
        // the last claim may hold anything
        assertThat(ORG_SUB.of(caller("2:3", Map.of("org_id", "1")))).isEqualTo("1:2:3");
        assertThat(ORG_SUB.of(caller("auth0|abc", Map.of("org_id", 1)))).isEqualTo("1:auth0|abc");
    }

    @Test
    void literalTextIsKeptAroundTheClaims() {
        UserIds ids = UserIds.compile("x", "org-{org_id}/user-{sub}!");
        assertThat(ids.of(caller("5", Map.of("org_id", 7L)))).isEqualTo("org-7/user-5!");
        assertThat(ids.claims()).containsExactly("org_id", "sub");
    }

    @Test
    void badTemplatesStopStartUpNamingTheSetting() {
        for (String template : new String[] {"", "user", "{org_id}{sub}", "{org_id:{sub}", "{}:{sub}", "{sub}}"}) {
            assertThatThrownBy(() -> UserIds.compile("switchboard.auth.user-id (SWITCHBOARD_AUTH_USER_ID)", template))
                    .as(template)
                    .hasMessageContaining("switchboard.auth.user-id (SWITCHBOARD_AUTH_USER_ID)");
        }
    }

    @Test
    void tenantClaimsTheRulesCheckButTheIdLeavesOutAreNamed() {
        assertThat(UserIds.subject().leftOut(Set.of("sub", "org_id"))).containsExactly("org_id");
        assertThat(ORG_SUB.leftOut(Set.of("sub", "org_id"))).isEmpty();
        assertThat(UserIds.subject().leftOut(Set.of("sub"))).isEmpty();
    }
}
