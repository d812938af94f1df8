package io.switchboard.relay.relay;

import java.time.Instant;

/**
 * What health says of this replica.
 *
 * @param role {@code active} (holds the lock and relays), {@code standby} (another replica holds it) or
 *     {@code stopped}
 * @param healthy false when the relay cannot make progress: its thread died, or it has failed without a success for
 *     longer than {@code unhealthy-after}, or one step has run that long
 * @param reason why it is not healthy, or null
 * @param lastSuccess when a step (active) or a lock check (standby) last succeeded, or null
 * @param failures failed attempts since the last success
 * @param lastError the last failure (class and message, secrets removed), or null since the last success
 */
public record RelayStatus(
        String role, boolean healthy, String reason, Instant lastSuccess, long failures, String lastError) {}
