package io.switchboard.publisher.config;

import io.switchboard.publisher.auth.AuthMode;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Channel authorization settings.
 *
 * @param mode {@code deny} (default) or {@code names-only} (local development only); env {@code SWITCHBOARD_AUTH_MODE}
 */
@ConfigurationProperties("switchboard.auth")
public record AuthProperties(@DefaultValue("deny") AuthMode mode) {}
