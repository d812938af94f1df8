package io.switchboard.gateway.console;

import java.time.Instant;
import java.util.Map;

/**
 * One stage's counters as its service last reported them.
 *
 * @param up whether the last scrape worked
 * @param counters console name ({@code relayed}, {@code routed}, {@code dropped}, {@code published},
 *     {@code dead_lettered}, {@code deduplicated}) to the total since the service started; a counter the service has
 *     not incremented yet is 0
 * @param circuitBreaker the publisher's breaker around Pusher ({@code closed}, {@code open}, {@code half_open}…),
 *     null for the other stages or when unknown
 * @param error why the last scrape failed, in one line, or null
 * @param at when the numbers were read
 */
public record StageCounters(
        String stage,
        String url,
        boolean up,
        Map<String, Double> counters,
        String circuitBreaker,
        String error,
        Instant at) {}
