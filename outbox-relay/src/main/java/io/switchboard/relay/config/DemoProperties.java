package io.switchboard.relay.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The demo of {@code ./switchboard dev} (docs/demo.md), validated when bound: a bad value stops the relay at
 * start-up with a message that names the setting.
 *
 * @param enabled write the five teams' demo rows into the outbox (off by default; {@code ./switchboard dev} turns it
 *     on)
 * @param rate rows per second, all teams together, above 0 and at most 1000 (env {@code SWITCHBOARD_DEMO_RATE},
 *     launcher {@code --rate}); default 2
 * @param anomalyEvery every how many runs of a team its anomaly rows come in (an oversize payload, a regressing
 *     progress); 0 for never; default 2
 * @param payloadLimit the router's payload limit in bytes ({@code PUSHER_MAX_PAYLOAD_BYTES}, default 9000): the
 *     oversize row grows half as large again, so the router truncates it whatever the limit
 */
@ConfigurationProperties("switchboard.demo")
public record DemoProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("2") double rate,
        @DefaultValue("2") int anomalyEvery,
        @DefaultValue("9000") int payloadLimit) {

    static final String PREFIX = "switchboard.demo.";
    static final double MAX_RATE = 1000;
    /** The router's own least limit (an encrypted event must still fit). */
    static final int MIN_PAYLOAD_LIMIT = 168;

    public DemoProperties {
        require(rate > 0 && rate <= MAX_RATE, "rate", "must be above 0 and at most 1000 rows per second", rate);
        require(anomalyEvery >= 0, "anomaly-every", "must be 0 (never) or more", anomalyEvery);
        require(
                payloadLimit >= MIN_PAYLOAD_LIMIT,
                "payload-limit",
                "must be at least " + MIN_PAYLOAD_LIMIT + " bytes",
                payloadLimit);
    }

    private static void require(boolean valid, String setting, String rule, Object value) {
        if (!valid) {
            throw new IllegalArgumentException(PREFIX + setting + " " + rule + ", was " + value);
        }
    }
}
