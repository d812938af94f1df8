package io.switchboard.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testkit.TestDatabase;
import java.sql.ResultSet;
import java.sql.Statement;

/** outbox-relay on the machine's Postgres (LISTEN/NOTIFY, pg_try_advisory_lock). */
class PostgresOutboxRelayIT extends AbstractOutboxRelayIT {

    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRES;
    }

    @Override
    protected void killDeletingSessions(Statement admin) throws Exception {
        try (ResultSet rs = admin.executeQuery(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                        + " WHERE query LIKE 'DELETE FROM switchboard_outbox%' AND state = 'active' AND pid <> pg_backend_pid()")) {
            assertThat(rs.next()).as("a relay session waiting on its DELETE").isTrue();
        }
    }
}
