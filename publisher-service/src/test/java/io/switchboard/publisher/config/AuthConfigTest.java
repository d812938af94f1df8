package io.switchboard.publisher.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.publisher.auth.ChannelAuthorizer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class AuthConfigTest {

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
    void anUnknownModeStopsStartUp() {
        context.withPropertyValues("switchboard.auth.mode=allow-all")
                .run(c -> assertThat(c).hasFailed());
    }
}
