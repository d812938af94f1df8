package io.switchboard.router.config;

import io.switchboard.router.truncation.EncryptionOverhead;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * router-service settings (router-service.yml maps the environment variables of contracts section 6 onto them),
 * checked when the service starts: a bad value stops it with a message that names the setting.
 *
 * @param inputTopic where RealtimeEvent records come from
 * @param outputTopic where ChannelPublish records go
 * @param deadLetterTopic where records that cannot be routed go, with the reason in headers
 * @param routes the rules file ({@code SWITCHBOARD_ROUTES}); null means the built-in table
 * @param usePrivateChannels the {@code private-} prefix ({@code PUSHER_USE_PRIVATE_CHANNELS})
 * @param maxPayloadBytes the payload limit in UTF-8 bytes ({@code PUSHER_MAX_PAYLOAD_BYTES}), at least 168; for an
 *     event to a {@code private-encrypted-} channel it bounds the encrypted data (see EncryptionOverhead)
 * @param progressGuardCapacity without Redis: how many runs the progress guard remembers, least recently updated
 *     forgotten first
 * @param progressGuardTtl with Redis: how long a run's progress is kept after its last change
 * @param sendTimeout how long a poll waits for realtime.publish to acknowledge its records before it is consumed
 *     again from the first unacknowledged one
 */
@ConfigurationProperties("switchboard.router")
public record RouterProperties(
        @DefaultValue("realtime.events") String inputTopic,
        @DefaultValue("realtime.publish") String outputTopic,
        @DefaultValue("realtime.events.dlq") String deadLetterTopic,
        Path routes,
        @DefaultValue("true") boolean usePrivateChannels,
        @DefaultValue("9000") int maxPayloadBytes,
        @DefaultValue("100000") int progressGuardCapacity,
        @DefaultValue("24h") Duration progressGuardTtl,
        @DefaultValue("30s") Duration sendTimeout) {

    public RouterProperties {
        require(!isBlank(inputTopic), "switchboard.router.input-topic may not be empty");
        require(!isBlank(outputTopic), "switchboard.router.output-topic may not be empty");
        require(!isBlank(deadLetterTopic), "switchboard.router.dead-letter-topic may not be empty");
        require(
                !inputTopic.equals(outputTopic) && !inputTopic.equals(deadLetterTopic),
                "switchboard.router.input-topic (" + inputTopic
                        + ") must differ from the output and dead-letter topics");
        require(
                maxPayloadBytes >= EncryptionOverhead.MIN_LIMIT,
                "switchboard.router.max-payload-bytes (PUSHER_MAX_PAYLOAD_BYTES) must be at least "
                        + EncryptionOverhead.MIN_LIMIT
                        + " (64 bytes of data once encrypted for a private-encrypted- channel), was "
                        + maxPayloadBytes);
        require(
                progressGuardCapacity >= 1,
                "switchboard.router.progress-guard-capacity must be at least 1, was " + progressGuardCapacity);
        require(
                positive(progressGuardTtl),
                "switchboard.router.progress-guard-ttl must be positive, was " + progressGuardTtl);
        require(positive(sendTimeout), "switchboard.router.send-timeout must be positive, was " + sendTimeout);
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    private static boolean positive(Duration d) {
        return d != null && !d.isNegative() && !d.isZero();
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
