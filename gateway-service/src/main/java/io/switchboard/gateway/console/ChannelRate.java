package io.switchboard.gateway.console;

import java.time.Instant;

/**
 * One channel with recent traffic: the events Pusher accepted on it within the rate window, per second over that
 * window, and its last event.
 */
public record ChannelRate(String channel, long events, double perSecond, Instant last) {}
