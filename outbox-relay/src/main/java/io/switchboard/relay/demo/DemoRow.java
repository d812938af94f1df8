package io.switchboard.relay.demo;

import java.util.List;

/**
 * One outbox row of the demo, as a team's service would insert it.
 *
 * @param seed the source team (its seed document's number, {@code 000} to {@code 004})
 * @param run the team's run it belongs to, from 1
 * @param type the event name
 * @param aggregateType nullable
 * @param aggregateId nullable; the Kafka key, and the entity whose progress the router guards
 * @param payload a JSON object
 * @param channels explicit channels chosen by the producer, or null to let the routing rules decide
 * @param source the producing service
 * @param expectation what the pipeline does with it (an anomaly run's rows are truncated or dropped on purpose)
 */
public record DemoRow(
        String seed,
        int run,
        String type,
        String aggregateType,
        String aggregateId,
        String payload,
        List<String> channels,
        String source,
        Expectation expectation) {

    /** What the router should do with a row. */
    public enum Expectation {
        /** routed and published as it is */
        DELIVERED,
        /** larger than the payload limit: published cut down, with {@code _truncated} */
        TRUNCATED,
        /** its progress is lower than the last one of its run: the progress guard drops it */
        DROPPED
    }
}
