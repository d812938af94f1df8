package io.switchboard.kafka.ledger;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The delivery ledger's settings ({@code switchboard.ledger.*}).
 *
 * @param enabled write receipts ({@code SWITCHBOARD_LEDGER_ENABLED}, default true)
 * @param topic the ledger topic ({@code SWITCHBOARD_LEDGER_TOPIC}, default {@code realtime.ledger})
 * @param capacity receipts waiting to be handed to Kafka at most; past that new ones are dropped and counted
 *     ({@code SWITCHBOARD_LEDGER_CAPACITY}, default 20,000)
 */
@ConfigurationProperties("switchboard.ledger")
public record LedgerSettings(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("realtime.ledger") String topic,
        @DefaultValue("20000") int capacity) {

    public LedgerSettings {
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("switchboard.ledger.topic (SWITCHBOARD_LEDGER_TOPIC) must not be blank");
        }
        if (capacity < 1) {
            throw new IllegalArgumentException(
                    "switchboard.ledger.capacity (SWITCHBOARD_LEDGER_CAPACITY) must be at least 1, was " + capacity);
        }
    }
}
