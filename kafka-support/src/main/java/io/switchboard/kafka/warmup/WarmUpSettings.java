package io.switchboard.kafka.warmup;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How a service warms up before it consumes and reports ready ({@code switchboard.warm-up.*}, docs/scaling.md).
 *
 * @param enabled off: the service consumes as soon as it starts and is ready before its consumers have partitions
 * @param iterations how many times each warm-up runs its hot path at most
 * @param maxTime the warm-ups' time in all at most, however far they got: a slow machine starts late by this much
 * @param assignmentTimeout how long readiness waits for every consumer's first partition assignment; past it the
 *     service reports ready anyway (a broker that is down must not keep a deploy from finishing) and says so
 */
@ConfigurationProperties("switchboard.warm-up")
public record WarmUpSettings(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("5000") int iterations,
        @DefaultValue("3s") Duration maxTime,
        @DefaultValue("30s") Duration assignmentTimeout) {

    public WarmUpSettings {
        if (iterations < 0) {
            throw new IllegalArgumentException("switchboard.warm-up.iterations must be 0 or more, was " + iterations);
        }
        if (maxTime.isNegative() || assignmentTimeout.isNegative()) {
            throw new IllegalArgumentException("switchboard.warm-up times must not be negative");
        }
    }
}
