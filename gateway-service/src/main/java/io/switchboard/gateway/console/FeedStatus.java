package io.switchboard.gateway.console;

import java.time.Instant;
import java.util.Map;

/**
 * How the console's feed is doing, for the page's status line.
 *
 * @param reading whether the last poll worked
 * @param partitions the partitions read, per topic (a topic not created yet is absent)
 * @param error the last failure in one line (no credentials: Kafka's messages name hosts, not secrets), or null
 * @param lastPoll when the feed last polled successfully, or null
 * @param skipped records of the ledger or the publish topic read but not shown, since the gateway started: they could
 *     not be decoded (the schema registry unavailable, a schema id it does not know) or not be turned into a row
 */
public record FeedStatus(
        String bootstrapServers,
        boolean reading,
        Map<String, Integer> partitions,
        String error,
        Instant lastPoll,
        long skipped) {}
