package io.switchboard.kafka.ledger;

import io.switchboard.schemas.DeliveryReceipt;

/**
 * Where a stage leaves a receipt for each settled outcome (contracts section 1, "Every event's fate is findable").
 * {@link #write} never blocks and never throws: a receipt that cannot be written is counted and lost, delivery goes
 * on.
 */
public interface Ledger {

    /** The ledger switched off ({@code SWITCHBOARD_LEDGER_ENABLED=false}): receipts go nowhere. */
    Ledger OFF = receipt -> {};

    void write(DeliveryReceipt receipt);
}
