package io.switchboard.relay.health;

import io.switchboard.relay.outbox.OutboxTable;
import io.switchboard.relay.outbox.Secrets;
import io.switchboard.relay.relay.RelayLoop;
import java.sql.Timestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;

/** Samples the outbox's backlog (row count, oldest row) for the gauges, on the active replica only. */
public final class BacklogSampler {

    private static final Logger log = LoggerFactory.getLogger(BacklogSampler.class);

    private final JdbcTemplate jdbc;
    private final RelayLoop loop;
    private final RelayMetrics metrics;
    private final String query;

    public BacklogSampler(JdbcTemplate jdbc, OutboxTable table, RelayLoop loop, RelayMetrics metrics) {
        this.jdbc = jdbc;
        this.loop = loop;
        this.metrics = metrics;
        this.query = "SELECT count(*), min(created_at) FROM " + table;
    }

    @Scheduled(fixedDelayString = "${switchboard.outbox.backlog-sample-interval:5s}")
    public void sample() {
        if (!loop.active()) {
            return;
        }
        try {
            jdbc.query(query, rs -> {
                Timestamp oldest = rs.getTimestamp(2);
                metrics.backlog(rs.getLong(1), oldest == null ? null : oldest.toInstant());
            });
        } catch (DataAccessException e) {
            // the relay's own failures say that the database is away (health, logs); a sample is only skipped
            log.debug("backlog not sampled: {}", Secrets.redact(e.getMessage()));
        }
    }
}
