package io.switchboard.relay.health;

import io.switchboard.relay.outbox.OutboxDialect;
import io.switchboard.relay.outbox.OutboxTable;
import io.switchboard.relay.relay.RelayLoop;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/** Health: UP for the active replica and for a healthy standby; says which it is and when it last relayed. */
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
        Health.Builder health = loop.isRunning() ? Health.up() : Health.down();
        health.withDetail("active", loop.active())
                .withDetail("role", loop.active() ? "active" : "standby")
                .withDetail("table", table.name())
                .withDetail("database", dialect.name().toLowerCase());
        if (loop.lastSuccess() != null) {
            health.withDetail("lastSuccess", loop.lastSuccess().toString());
        }
        return health.build();
    }
}
