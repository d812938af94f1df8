package io.switchboard.gateway.config;

import io.switchboard.gateway.auth.ChannelAuthorizer;
import io.switchboard.gateway.auth.ChannelPolicy;
import io.switchboard.gateway.auth.HttpOwnerAuthorizer;
import io.switchboard.gateway.auth.Refusal;
import java.nio.charset.StandardCharsets;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/** Channel authorization: the authorizer chosen by {@code switchboard.auth.mode} (HTTP security: SecurityConfig). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AuthProperties.class)
public class AuthConfig {

    private static final Logger log = LoggerFactory.getLogger(AuthConfig.class);

    @Bean
    ChannelAuthorizer channelAuthorizer(AuthProperties properties) {
        switch (properties.mode()) {
            case JWT:
                log.info(
                        "channel auth: JWT callers, {} channel rule(s)",
                        properties.rules().size());
                return new ChannelPolicy(
                        properties.rules(),
                        new HttpOwnerAuthorizer(
                                properties.authorizerTimeout(), properties.authorizerCacheTtl(), 10_000),
                        properties.presenceInfoClaims());
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

    /** Only in jwt mode (the resource server needs it); from the HS256 secret or the JWKS URL. */
    @Bean
    @ConditionalOnProperty(name = "switchboard.auth.mode", havingValue = "jwt")
    JwtDecoder jwtDecoder(AuthProperties properties) {
        AuthProperties.Jwt jwt = properties.jwt();
        boolean secret = jwt.hs256Secret() != null && !jwt.hs256Secret().isEmpty();
        if (secret == (jwt.jwksUrl() != null)) {
            throw new IllegalStateException(
                    "SWITCHBOARD_AUTH_MODE=jwt needs exactly one of switchboard.auth.jwt.hs256-secret"
                            + " (SWITCHBOARD_JWT_HS256_SECRET) and switchboard.auth.jwt.jwks-url (SWITCHBOARD_JWT_JWKS_URL)");
        }
        NimbusJwtDecoder decoder;
        if (secret) {
            byte[] key = jwt.hs256Secret().getBytes(StandardCharsets.UTF_8);
            if (key.length < 32) {
                throw new IllegalStateException("switchboard.auth.jwt.hs256-secret must be at least 32 bytes");
            }
            decoder = NimbusJwtDecoder.withSecretKey(new SecretKeySpec(key, "HmacSHA256"))
                    .macAlgorithm(MacAlgorithm.HS256)
                    .build();
        } else {
            decoder = NimbusJwtDecoder.withJwkSetUri(jwt.jwksUrl().toString()).build();
        }
        decoder.setJwtValidator(
                jwt.issuer() == null || jwt.issuer().isEmpty()
                        ? JwtValidators.createDefault()
                        : JwtValidators.createDefaultWithIssuer(jwt.issuer()));
        return decoder;
    }
}
