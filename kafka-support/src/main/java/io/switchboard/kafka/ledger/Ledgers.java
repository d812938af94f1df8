package io.switchboard.kafka.ledger;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.schemas.wire.SchemaRegistry;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds a service's ledger from its settings. */
public final class Ledgers {

    private static final Logger log = LoggerFactory.getLogger(Ledgers.class);

    private Ledgers() {}

    /**
     * {@link Ledger#OFF} when the ledger is switched off, else a {@link KafkaLedger} on the service's own producer
     * settings and schema registry ({@code SCHEMA_REGISTRY_URL}, else the pinned ids).
     */
    public static Ledger create(Map<String, Object> producerProperties, LedgerSettings settings, MeterRegistry meters) {
        if (!settings.enabled()) {
            log.info("the delivery ledger is off (SWITCHBOARD_LEDGER_ENABLED=false): no receipts are written");
            return Ledger.OFF;
        }
        return KafkaLedger.create(producerProperties, SchemaRegistry.fromConfigs(producerProperties), settings, meters);
    }
}
