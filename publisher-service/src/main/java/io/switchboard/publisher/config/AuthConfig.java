package io.switchboard.publisher.config;

import io.switchboard.publisher.auth.ChannelAuthorizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Chooses the channel authorizer from {@code switchboard.auth.mode}. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AuthProperties.class)
public class AuthConfig {

    private static final Logger log = LoggerFactory.getLogger(AuthConfig.class);

    @Bean
    ChannelAuthorizer channelAuthorizer(AuthProperties properties) {
        return switch (properties.mode()) {
            case DENY -> {
                log.info("channel auth: every private and presence channel is refused (SWITCHBOARD_AUTH_MODE=deny)");
                yield (channel, request) -> ChannelAuthorizer.Decision.deny("channel authorization is not configured");
            }
            case NAMES_ONLY -> {
                log.warn("channel auth: SWITCHBOARD_AUTH_MODE=names-only signs ANY well-formed private channel for ANY"
                        + " caller. For local development only; never in production.");
                yield (channel, request) -> channel.startsWith("presence-")
                        ? ChannelAuthorizer.Decision.deny("presence channels need an authenticated user")
                        : ChannelAuthorizer.Decision.allow();
            }
        };
    }
}
