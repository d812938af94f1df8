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
 */
public record FeedStatus(
        String bootstrapServers, boolean reading, Map<String, Integer> partitions, String error, Instant lastPoll) {}
