package io.switchboard.relay.health;

import io.switchboard.relay.outbox.OutboxDialect;
import io.switchboard.relay.outbox.OutboxTable;
import io.switchboard.relay.relay.RelayLoop;
import io.switchboard.relay.relay.RelayStatus;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health: UP for the active replica and for a standby while they can make progress; DOWN, with the reason, when the
 * relay thread died or has failed without a success for longer than {@code unhealthy-after}. Says which role this
 * replica has ({@code active}, {@code standby}), the table, the database and the lock.
 */
public final class RelayHealthIndicator implements HealthIndicator {

    private final RelayLoop loop;
    private final OutboxTable table;
    private final OutboxDialect dialect;

    public RelayHealthIndicator(RelayLoop loop, OutboxTable table, OutboxDialect dialect) {
        this.loop = loop;
        this.table = table;
        this.dialect = dialect;
    }

    @Override
    public Health health() {
        RelayStatus status = loop.status();
        Health.Builder health = status.healthy() ? Health.up() : Health.down();
        health.withDetail("role", status.role())
                .withDetail("active", "active".equals(status.role()))
                .withDetail("table", table.qualifiedName())
                .withDetail("database", dialect.name().toLowerCase())
                .withDetail("lock", loop.lock().name());
        if (status.reason() != null) {
            health.withDetail("reason", status.reason());
        }
        if (status.lastSuccess() != null) {
            health.withDetail("lastSuccess", status.lastSuccess().toString());
        }
        if (status.failures() > 0) {
            health.withDetail("failures", status.failures()).withDetail("lastError", status.lastError());
        }
        return health.build();
    }
}
