package io.switchboard.gateway.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.gateway.auth.ChannelAuthorizer;
import io.switchboard.gateway.auth.ChannelPolicy;
import io.switchboard.gateway.auth.HttpOwnerAuthorizer;
import io.switchboard.gateway.auth.OwnerMetrics;
import io.switchboard.gateway.auth.Refusal;
import io.switchboard.gateway.auth.Tokens;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/**
 * Channel authorization: the authorizer chosen by {@code switchboard.auth.mode}, and in jwt mode the token rules
 * ({@link Tokens}) as the {@link JwtDecoder} Spring Security's resource server uses (HTTP security: SecurityConfig).
 * In jwt mode the compiled channel policy is logged at start, in one block.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AuthProperties.class)
public class AuthConfig {

    private static final Logger log = LoggerFactory.getLogger(AuthConfig.class);

    @Bean
    ChannelAuthorizer channelAuthorizer(
            AuthProperties properties, ObjectProvider<Clock> clock, ObjectProvider<MeterRegistry> meters) {
        switch (properties.mode()) {
            case JWT:
                HttpOwnerAuthorizer owners = null;
                if (properties.rules().stream().anyMatch(rule -> rule.authorizer() != null)) {
                    AuthProperties.Owner owner = properties.owner();
                    MeterRegistry registry = meters.getIfAvailable();
                    owners = new HttpOwnerAuthorizer(
                            new HttpOwnerAuthorizer.Settings(
                                    owner.timeout(), owner.cacheTtl(), owner.maxConcurrent(), owner.cacheSize()),
                            clock.getIfAvailable(Clock::systemUTC),
                            registry == null ? HttpOwnerAuthorizer.Listener.NONE : new OwnerMetrics(registry));
                }
                ChannelPolicy policy = new ChannelPolicy(properties.rules(), owners, properties.presenceInfoClaims());
                log.info("channel auth: JWT callers; {}", policy.describe());
                return policy;
            case NAMES_ONLY:
                log.warn("channel auth: SWITCHBOARD_AUTH_MODE=names-only signs ANY well-formed private channel for ANY"
                        + " caller. For local development only; never in production.");
                return (channel, caller) -> channel.startsWith("presence-")
                        ? ChannelAuthorizer.Decision.deny(
                                Refusal.MODE_REFUSES, "presence channels need an authenticated user")
                        : ChannelAuthorizer.Decision.allow();
            default:
                log.info("channel auth: every private and presence channel is refused (SWITCHBOARD_AUTH_MODE=deny)");
                return (channel, caller) -> ChannelAuthorizer.Decision.deny(
                        Refusal.MODE_REFUSES, "channel authorization is not configured");
        }
    }

    /** Only in jwt mode (the resource server needs it): the token rules, from the HS256 secret or the JWKS URL. */
    @Bean
    @ConditionalOnProperty(name = "switchboard.auth.mode", havingValue = "jwt")
    JwtDecoder jwtDecoder(AuthProperties properties, ObjectProvider<Clock> clock) {
        AuthProperties.Jwt jwt = properties.jwt();
        boolean secret = jwt.hs256Secret() != null && !jwt.hs256Secret().isEmpty();
        if (secret == (jwt.jwksUrl() != null)) {
            throw new IllegalStateException(
                    "SWITCHBOARD_AUTH_MODE=jwt needs exactly one of switchboard.auth.jwt.hs256-secret"
                            + " (SWITCHBOARD_JWT_HS256_SECRET) and switchboard.auth.jwt.jwks-url (SWITCHBOARD_JWT_JWKS_URL)");
        }
        Tokens.Rules rules = new Tokens.Rules(jwt.issuer(), jwt.audience(), jwt.clockSkew());
        Clock time = clock.getIfAvailable(Clock::systemUTC);
        if (secret) {
            byte[] key = jwt.hs256Secret().getBytes(StandardCharsets.UTF_8);
            if (key.length < 32) {
                throw new IllegalStateException("switchboard.auth.jwt.hs256-secret (SWITCHBOARD_JWT_HS256_SECRET) must"
                        + " be at least 32 bytes");
            }
            return Tokens.hs256(key, rules, time);
        }
        return Tokens.jwks(jwt.jwksUrl(), jwt.jwksRefetchInterval(), rules, time);
    }
}
