package io.switchboard.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.gateway.auth.Caller;
import io.switchboard.gateway.auth.ChannelAuthorizer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class AuthConfigTest {

    private static final String SECRET = "a-test-hs256-secret-of-at-least-32-bytes!";

    private final ApplicationContextRunner context =
            new ApplicationContextRunner().withUserConfiguration(AuthConfig.class);

    @Test
    void refusesEveryChannelByDefault() {
        context.run(c -> {
            ChannelAuthorizer authorizer = c.getBean(ChannelAuthorizer.class);
            assertThat(authorizer.decide("private-audit-A", null).allowed()).isFalse();
            assertThat(authorizer.decide("presence-room", null).allowed()).isFalse();
        });
    }

    @Test
    void namesOnlyModeSignsPrivateChannelsButNotPresence() {
        context.withPropertyValues("switchboard.auth.mode=names-only").run(c -> {
            ChannelAuthorizer authorizer = c.getBean(ChannelAuthorizer.class);
            assertThat(authorizer.decide("private-audit-A", null).allowed()).isTrue();
            assertThat(authorizer.decide("presence-room", null).allowed()).isFalse();
        });
    }

    @Test
    void jwtModeAppliesTheConfiguredPolicy() {
        context.withPropertyValues(
                        "switchboard.auth.mode=jwt",
                        "switchboard.auth.jwt.hs256-secret=" + SECRET,
                        "switchboard.auth.rules[0].channel=private-org.{org_id}",
                        "switchboard.auth.rules[0].claims.org_id=org_id")
                .run(c -> {
                    ChannelAuthorizer authorizer = c.getBean(ChannelAuthorizer.class);
                    Caller tenant5 = new Caller("u1", java.util.Map.of("org_id", 5), "t");
                    assertThat(authorizer.decide("private-org.5", tenant5).allowed())
                            .isTrue();
                    assertThat(authorizer.decide("private-org.6", tenant5).allowed())
                            .isFalse();
                    assertThat(authorizer.decide("private-org.5", null).allowed())
                            .isFalse();
                });
    }

    @Test
    void aBadRuleStopsStartUp() {
        context.withPropertyValues(
                        "switchboard.auth.mode=jwt",
                        "switchboard.auth.jwt.hs256-secret=" + SECRET,
                        "switchboard.auth.rules[0].channel=private-x")
                .run(c -> assertThat(c).getFailure().rootCause().hasMessageContaining("switchboard.auth.rules[0]"));
    }

    @Test
    void anUnknownModeStopsStartUp() {
        context.withPropertyValues("switchboard.auth.mode=allow-all")
                .run(c -> assertThat(c).hasFailed());
    }
}
