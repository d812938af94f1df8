package io.switchboard.kafka.warmup;

/**
 * One unit of a service's hot path, run many times before the service consumes (WarmUpBeforeConsuming): an event
 * through the router's routing and Avro codecs, a poll through the publisher's delivery against an in-memory Pusher.
 * It must leave nothing behind outside the process: no record written, no guard or dedupe state, no message sent.
 */
public interface WarmUp {

    /** What is warmed, for the log line ("router: routing and Avro"). */
    String name();

    /** Done once before the loop: metadata lookups, connections opened. May throw: the service starts anyway. */
    default void prepare() {}

    /** One iteration of the hot path. */
    void once();
}
