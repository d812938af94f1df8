package io.switchboard.gateway.config;

import io.switchboard.gateway.auth.ChannelAuthorizer;
import io.switchboard.gateway.auth.ChannelPolicy;
import io.switchboard.gateway.auth.HttpOwnerAuthorizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

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
                        ? ChannelAuthorizer.Decision.deny("presence channels need an authenticated user")
                        : ChannelAuthorizer.Decision.allow();
            default:
                log.info("channel auth: every private and presence channel is refused (SWITCHBOARD_AUTH_MODE=deny)");
                return (channel, caller) -> ChannelAuthorizer.Decision.deny("channel authorization is not configured");
        }
    }
}
