package io.switchboard.gateway.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.gateway.auth.ChannelAuthorizer;
import io.switchboard.gateway.auth.ChannelPolicy;
import io.switchboard.gateway.auth.HttpOwnerAuthorizer;
import io.switchboard.gateway.auth.Loopback;
import io.switchboard.gateway.auth.NamesOnlyAuthorizer;
import io.switchboard.gateway.auth.OwnerMetrics;
import io.switchboard.gateway.auth.Refusal;
import io.switchboard.gateway.auth.Tokens;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/**
 * Channel authorization: the authorizer chosen by {@code switchboard.auth.mode}, and in jwt mode the token rules
 * ({@link Tokens}) as the {@link JwtDecoder} Spring Security's resource server uses (HTTP security: SecurityConfig).
 * In jwt mode the compiled channel policy is logged at start, in one block, with a warning when the user id leaves out
 * a tenant-like claim the rules check, or when a JWKS is used without an audience. names-only mode refuses to start
 * unless {@code server.address} is loopback or {@code switchboard.auth.names-only-on-any-address} is true.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AuthProperties.class)
public class AuthConfig {

    private static final Logger log = LoggerFactory.getLogger(AuthConfig.class);

    @Bean
    ChannelAuthorizer channelAuthorizer(
            AuthProperties properties,
            ObjectProvider<Clock> clock,
            ObjectProvider<MeterRegistry> meters,
            Environment environment) {
        return switch (properties.mode()) {
            case JWT -> jwtPolicy(properties, clock, meters);
            case NAMES_ONLY -> namesOnly(properties, environment.getProperty("server.address"));
            default -> {
                log.info("channel auth: every private and presence channel is refused (SWITCHBOARD_AUTH_MODE=deny)");
                yield (channel, caller) -> ChannelAuthorizer.Decision.deny(
                        Refusal.MODE_REFUSES, "channel authorization is not configured");
            }
        };
    }

    private static ChannelPolicy jwtPolicy(
            AuthProperties properties, ObjectProvider<Clock> clock, ObjectProvider<MeterRegistry> meters) {
        HttpOwnerAuthorizer owners = null;
        if (properties.rules().stream().anyMatch(rule -> rule.authorizer() != null)) {
            AuthProperties.Owner owner = properties.owner();
            MeterRegistry registry = meters.getIfAvailable();
            owners = new HttpOwnerAuthorizer(
                    new HttpOwnerAuthorizer.Settings(
                            owner.timeout(),
                            owner.cacheTtl(),
                            owner.maxConcurrent(),
                            owner.maxConcurrentTotal(),
                            owner.cacheSize()),
                    clock.getIfAvailable(Clock::systemUTC),
                    registry == null ? HttpOwnerAuthorizer.Listener.NONE : new OwnerMetrics(registry));
        }
        ChannelPolicy policy =
                new ChannelPolicy(properties.rules(), owners, properties.presenceInfoClaims(), properties.userIds());
        log.info("channel auth: JWT callers; {}", policy.describe());
        List<String> leftOut = policy.claimsLeftOutOfUserId();
        if (!leftOut.isEmpty()) {
            log.warn(
                    "channel auth: the rules check claim(s) {} but the user id ({}, {}) leaves them out: if a sub is"
                            + " unique only within one {}, users of two tenants with the same sub are one Pusher user"
                            + " (presence member, user sign-in). Set it to, for example, {}",
                    leftOut,
                    properties.userId(),
                    AuthProperties.USER_ID,
                    leftOut.get(0),
                    "{" + leftOut.get(0) + "}:" + properties.userId());
        }
        return policy;
    }

    /** names-only signs channels for anonymous callers: only on loopback, unless the operator opts in. */
    private static ChannelAuthorizer namesOnly(AuthProperties properties, String address) {
        boolean loopback = Loopback.listenAddress(address);
        if (!loopback && !properties.namesOnlyOnAnyAddress()) {
            throw new IllegalStateException("SWITCHBOARD_AUTH_MODE=names-only signs any private channel for anyone, so"
                    + " it starts only on a loopback address, and server.address (SWITCHBOARD_BIND_ADDRESS) is "
                    + (address == null || address.isBlank() ? "unset (every interface)" : address)
                    + ". Bind to 127.0.0.1, use SWITCHBOARD_AUTH_MODE=jwt, or, on a closed test network only, set"
                    + " switchboard.auth.names-only-on-any-address=true (SWITCHBOARD_AUTH_NAMES_ONLY_ON_ANY_ADDRESS)");
        }
        log.warn(
                "channel auth: SWITCHBOARD_AUTH_MODE=names-only signs ANY well-formed private channel for ANY caller"
                        + " (not presence, not encrypted channels){}. For local development only; never in production.",
                loopback ? "" : ", on " + address + " by switchboard.auth.names-only-on-any-address");
        return new NamesOnlyAuthorizer();
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
        if (jwt.jwksUrl() != null && (jwt.audience() == null || jwt.audience().isBlank())) {
            log.warn(
                    "channel auth: switchboard.auth.jwt.audience (SWITCHBOARD_JWT_AUDIENCE) is not set, so every"
                            + " token the identity provider at {} issues, for any application, is accepted here. Set it"
                            + " to the aud of the tokens issued for Switchboard",
                    jwt.jwksUrl().getHost());
        }
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
