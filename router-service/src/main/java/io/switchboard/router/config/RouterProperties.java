package io.switchboard.router.config;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * router-service settings (router-service.yml maps the environment variables of contracts section 6 onto them).
 *
 * @param inputTopic where RealtimeEvent records come from
 * @param outputTopic where ChannelPublish records go
 * @param deadLetterTopic where records that cannot be routed go, with the reason in headers
 * @param routes the rules file ({@code SWITCHBOARD_ROUTES}); null means the built-in table
 * @param usePrivateChannels the {@code private-} prefix ({@code PUSHER_USE_PRIVATE_CHANNELS})
 * @param maxPayloadBytes the payload limit in UTF-8 bytes ({@code PUSHER_MAX_PAYLOAD_BYTES}), at least 64
 * @param progressGuardCapacity how many (entity, event type) pairs the progress guard remembers, least recently
 *     updated forgotten first
 */
@ConfigurationProperties("switchboard.router")
public record RouterProperties(
        @DefaultValue("realtime.events") String inputTopic,
        @DefaultValue("realtime.publish") String outputTopic,
        @DefaultValue("realtime.events.dlq") String deadLetterTopic,
        Path routes,
        @DefaultValue("true") boolean usePrivateChannels,
        @DefaultValue("9000") int maxPayloadBytes,
        @DefaultValue("100000") int progressGuardCapacity) {}
