package io.switchboard.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testkit.TestDatabase;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** outbox-relay on the machine's MariaDB (polling, GET_LOCK). */
class MariaDbOutboxRelayIT extends AbstractOutboxRelayIT {

    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.MARIADB;
    }

    @Override
    protected void killSession(Statement admin, String session) throws Exception {
        admin.execute("KILL " + Long.parseLong(session));
    }

    @Override
    protected void killDeletingSessions(Statement admin) throws Exception {
        List<Long> ids = new ArrayList<>();
        try (ResultSet rs = admin.executeQuery("SELECT id FROM information_schema.processlist"
                + " WHERE info LIKE 'DELETE FROM switchboard_outbox%' AND id <> CONNECTION_ID()")) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        assertThat(ids).as("a relay session waiting on its DELETE").isNotEmpty();
        for (long id : ids) {
            admin.execute("KILL " + id);
        }
    }
}
