package io.switchboard.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.gateway.auth.Caller;
import io.switchboard.gateway.auth.ChannelAuthorizer;
import io.switchboard.gateway.auth.Refusal;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.security.oauth2.jwt.JwtDecoder;

@ExtendWith(OutputCaptureExtension.class)
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
        context.withPropertyValues("switchboard.auth.mode=names-only", "server.address=127.0.0.1")
                .run(c -> {
                    ChannelAuthorizer authorizer = c.getBean(ChannelAuthorizer.class);
                    assertThat(authorizer.decide("private-audit-A", null).allowed())
                            .isTrue();
                    assertThat(authorizer.decide("presence-room", null).allowed())
                            .isFalse();
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

    @Test
    void jwtModeExposesTheTokenRulesAsTheJwtDecoder() {
        context.withPropertyValues("switchboard.auth.mode=jwt", "switchboard.auth.jwt.hs256-secret=" + SECRET)
                .run(c -> assertThat(c).hasSingleBean(JwtDecoder.class));
        context.run(c -> assertThat(c).doesNotHaveBean(JwtDecoder.class));
    }

    @Test
    void jwtModeNeedsExactlyOneKeySource() {
        context.withPropertyValues("switchboard.auth.mode=jwt")
                .run(c -> assertThat(c)
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("SWITCHBOARD_JWT_HS256_SECRET")
                        .hasMessageContaining("SWITCHBOARD_JWT_JWKS_URL"));
        context.withPropertyValues("switchboard.auth.mode=jwt", "switchboard.auth.jwt.hs256-secret=short")
                .run(c -> assertThat(c).getFailure().rootCause().hasMessageContaining("at least 32 bytes"));
    }

    @Test
    void outOfRangeSettingsStopStartUpNamingTheSettingAndItsVariable() {
        Map.of(
                        "switchboard.auth.jwt.clock-skew=90s", "SWITCHBOARD_JWT_CLOCK_SKEW",
                        "switchboard.auth.jwt.jwks-refetch-interval=0s", "SWITCHBOARD_JWT_JWKS_REFETCH_INTERVAL",
                        "switchboard.auth.owner.timeout=0s", "SWITCHBOARD_OWNER_TIMEOUT",
                        "switchboard.auth.owner.timeout=31s", "SWITCHBOARD_OWNER_TIMEOUT",
                        "switchboard.auth.owner.cache-ttl=61s", "SWITCHBOARD_OWNER_CACHE_TTL",
                        "switchboard.auth.owner.max-concurrent=0", "SWITCHBOARD_OWNER_MAX_CONCURRENT",
                        "switchboard.auth.owner.max-concurrent-total=0", "SWITCHBOARD_OWNER_MAX_CONCURRENT_TOTAL",
                        "switchboard.auth.owner.max-concurrent-total=1025", "SWITCHBOARD_OWNER_MAX_CONCURRENT_TOTAL",
                        "switchboard.auth.user-id={org_id}{sub}", "SWITCHBOARD_AUTH_USER_ID",
                        "switchboard.auth.jwt.jwks-url=http://idp.internal/jwks", "SWITCHBOARD_JWT_JWKS_URL")
                .forEach((setting, variable) -> context.withPropertyValues(setting)
                        .run(c -> assertThat(c)
                                .as(setting)
                                .getFailure()
                                .rootCause()
                                .hasMessageContaining(setting.substring(0, setting.indexOf('=')))
                                .hasMessageContaining(variable)));
    }

    @Test
    void theDefaultsAreShort() {
        context.run(c -> {
            AuthProperties properties = c.getBean(AuthProperties.class);
            assertThat(properties.jwt().clockSkew()).isEqualTo(Duration.ofSeconds(30));
            assertThat(properties.owner().cacheTtl()).isEqualTo(Duration.ofSeconds(5));
            assertThat(properties.owner().timeout()).isEqualTo(Duration.ofSeconds(2));
            assertThat(properties.owner().maxConcurrent()).isEqualTo(16);
            assertThat(properties.owner().maxConcurrentTotal()).isEqualTo(64);
            assertThat(properties.userId()).isEqualTo("{sub}");
            assertThat(properties.namesOnlyOnAnyAddress()).isFalse();
            assertThat(properties.jwt().jwksAllowHttp()).isFalse();
        });
    }

    @Test
    void theCompiledPolicyIsLoggedAtStartInOneBlock(CapturedOutput output) {
        context.withPropertyValues(
                        "switchboard.auth.mode=jwt",
                        "switchboard.auth.jwt.hs256-secret=" + SECRET,
                        "switchboard.auth.rules[0].channel=private-org.{org_id}",
                        "switchboard.auth.rules[0].claims.org_id=org_id",
                        "switchboard.auth.rules[1].channel=private-doc.{id}",
                        "switchboard.auth.rules[1].authorizer=https://documents.internal/can-read")
                .run(c -> {
                    assertThat(c).hasNotFailed();
                    assertThat(output.getOut())
                            .contains("channel policy: 2 rule(s)")
                            .contains("rules[0] private-org.{org_id}: {org_id} = claim org_id")
                            .contains(
                                    "rules[1] private-doc.{id}: the owner decides, https://documents.internal/can-read")
                            .doesNotContain(SECRET);
                });
    }

    // the security review of issue 14

    @Test
    void namesOnlyModeRefusesToStartBeyondLoopback() {
        for (String address : new String[] {"0.0.0.0", "::", "10.1.2.3", "gateway.internal"}) {
            context.withPropertyValues("switchboard.auth.mode=names-only", "server.address=" + address)
                    .run(c -> assertThat(c)
                            .as(address)
                            .getFailure()
                            .rootCause()
                            .hasMessageContaining("server.address (SWITCHBOARD_BIND_ADDRESS) is " + address)
                            .hasMessageContaining("switchboard.auth.names-only-on-any-address=true")
                            .hasMessageContaining("SWITCHBOARD_AUTH_NAMES_ONLY_ON_ANY_ADDRESS"));
        }
        context.withPropertyValues("switchboard.auth.mode=names-only")
                .run(c -> assertThat(c).getFailure().rootCause().hasMessageContaining("every interface"));
        for (String address : new String[] {"127.0.0.1", "127.0.1.1", "::1", "[::1]", "localhost"}) {
            context.withPropertyValues("switchboard.auth.mode=names-only", "server.address=" + address)
                    .run(c -> assertThat(c).as(address).hasNotFailed());
        }
    }

    @Test
    void namesOnlyModeStartsBeyondLoopbackOnlyByExplicitOptIn(CapturedOutput output) {
        context.withPropertyValues(
                        "switchboard.auth.mode=names-only",
                        "server.address=0.0.0.0",
                        "switchboard.auth.names-only-on-any-address=true")
                .run(c -> {
                    assertThat(c).hasNotFailed();
                    assertThat(output.getOut()).contains("on 0.0.0.0 by switchboard.auth.names-only-on-any-address");
                });
    }

    @Test
    void namesOnlyModeNeverSignsAnEncryptedChannel() {
        context.withPropertyValues("switchboard.auth.mode=names-only", "server.address=127.0.0.1")
                .run(c -> {
                    ChannelAuthorizer.Decision decision =
                            c.getBean(ChannelAuthorizer.class).decide("private-encrypted-room", null);
                    assertThat(decision.allowed()).isFalse();
                    assertThat(decision.refusal()).isEqualTo(Refusal.MODE_REFUSES);
                    assertThat(decision.reason()).contains("shared secret");
                });
    }

    @Test
    void aUserIdThatLeavesOutATenantClaimTheRulesCheckIsWarnedAtStart(CapturedOutput output) {
        String[] rules = {
            "switchboard.auth.mode=jwt",
            "switchboard.auth.jwt.hs256-secret=" + SECRET,
            "switchboard.auth.rules[0].channel=private-org.{org_id}",
            "switchboard.auth.rules[0].claims.org_id=org_id",
            "switchboard.auth.rules[1].channel=private-job-status.{userId}",
            "switchboard.auth.rules[1].claims.userId=sub"
        };
        context.withPropertyValues(rules).run(c -> assertThat(c).hasNotFailed());
        assertThat(output.getOut().lines().filter(l -> l.contains("leaves them out")))
                .singleElement()
                .satisfies(line -> assertThat(line)
                        .contains("[org_id]")
                        .contains("SWITCHBOARD_AUTH_USER_ID")
                        .contains("{org_id}:{sub}"));
        int before = output.getOut().length();
        context.withPropertyValues(rules)
                .withPropertyValues("switchboard.auth.user-id={org_id}:{sub}")
                .run(c -> assertThat(c).hasNotFailed());
        assertThat(output.getOut().substring(before))
                .contains("user_id = {org_id}:{sub}")
                .doesNotContain("leaves them out");
    }

    @Test
    void aPlainHttpJwksUrlOffLoopbackStopsStartUp() {
        String jwt = "switchboard.auth.mode=jwt";
        context.withPropertyValues(jwt, "switchboard.auth.jwt.jwks-url=http://idp.internal/jwks")
                .run(c -> assertThat(c)
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("switchboard.auth.jwt.jwks-url (SWITCHBOARD_JWT_JWKS_URL)")
                        .hasMessageContaining("switchboard.auth.jwt.jwks-allow-http=true")
                        .hasMessageContaining("SWITCHBOARD_JWT_JWKS_ALLOW_HTTP"));
        context.withPropertyValues(jwt, "switchboard.auth.jwt.jwks-url=file:///etc/jwks.json")
                .run(c -> assertThat(c).getFailure().rootCause().hasMessageContaining("https"));
        for (String allowed : new String[] {
            "switchboard.auth.jwt.jwks-url=https://idp.internal/jwks",
            "switchboard.auth.jwt.jwks-url=http://127.0.0.1:9/jwks",
            "switchboard.auth.jwt.jwks-url=http://localhost:9/jwks"
        }) {
            context.withPropertyValues(jwt, allowed, "switchboard.auth.jwt.audience=switchboard")
                    .run(c -> assertThat(c).as(allowed).hasSingleBean(JwtDecoder.class));
        }
        context.withPropertyValues(
                        jwt,
                        "switchboard.auth.jwt.jwks-url=http://idp.internal/jwks",
                        "switchboard.auth.jwt.jwks-allow-http=true",
                        "switchboard.auth.jwt.audience=switchboard")
                .run(c -> assertThat(c).hasSingleBean(JwtDecoder.class));
    }

    @Test
    void aJwksWithoutAnAudienceIsWarnedAtStart(CapturedOutput output) {
        String[] jwks = {"switchboard.auth.mode=jwt", "switchboard.auth.jwt.jwks-url=https://idp.example/jwks"};
        context.withPropertyValues(jwks).run(c -> assertThat(c).hasSingleBean(JwtDecoder.class));
        assertThat(output.getOut().lines().filter(l -> l.contains("SWITCHBOARD_JWT_AUDIENCE")))
                .singleElement()
                .satisfies(line -> assertThat(line)
                        .contains("WARN")
                        .contains("idp.example")
                        .contains("is not set"));
        int before = output.getOut().length();
        context.withPropertyValues(jwks)
                .withPropertyValues("switchboard.auth.jwt.audience=switchboard")
                .run(c -> assertThat(c).hasSingleBean(JwtDecoder.class));
        context.withPropertyValues("switchboard.auth.mode=jwt", "switchboard.auth.jwt.hs256-secret=" + SECRET)
                .run(c -> assertThat(c).hasSingleBean(JwtDecoder.class));
        assertThat(output.getOut().substring(before)).doesNotContain("SWITCHBOARD_JWT_AUDIENCE");
    }
}
