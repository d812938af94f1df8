package io.switchboard.publisher.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * publisher-service settings ({@code switchboard.publisher.*}).
 *
 * @param inputTopic where ChannelPublish records come from
 * @param deadLetterTopic where publishes that failed for good go, with the reason in headers
 * @param requestTimeout how long one Pusher request may take before it counts as a transient failure
 * @param maxInFlight how many requests to Pusher may await their answer at once, per consumer
 * @param ioThreads the HTTP client's I/O threads (Netty event loops): 1 by default, which carried 15,000 requests a
 *     second against Soketi, a new connection each; Netty's own default (twice the cores) costs CPU in thread
 *     hand-offs and measured 10–15% slower against Soketi on two cores (docs/benchmarks.md)
 * @param maxMessagesPerSecond the Pusher plan's messages per second (one message per event and channel); 0 for no
 *     limit. At least 100 otherwise, since one trigger may carry 100 channels
 * @param retry how transient failures (429, 5xx, timeouts, connection errors) are retried
 * @param circuitBreaker when to stop calling Pusher, and pause consumption, because it keeps failing
 */
@ConfigurationProperties("switchboard.publisher")
public record PublisherProperties(
        @DefaultValue("realtime.publish") String inputTopic,
        @DefaultValue("realtime.publish.dlq") String deadLetterTopic,
        @DefaultValue("10s") Duration requestTimeout,
        @DefaultValue("32") int maxInFlight,
        @DefaultValue("1") int ioThreads,
        @DefaultValue("0") int maxMessagesPerSecond,
        @DefaultValue Retry retry,
        @DefaultValue CircuitBreaker circuitBreaker) {

    private static final String PREFIX = "switchboard.publisher.";

    public PublisherProperties {
        notBlank("input-topic", inputTopic);
        notBlank("dead-letter-topic", deadLetterTopic);
        if (inputTopic.equals(deadLetterTopic)) {
            throw invalid("dead-letter-topic", deadLetterTopic, "must differ from " + PREFIX + "input-topic");
        }
        positive("request-timeout", requestTimeout);
        atLeast("max-in-flight (SWITCHBOARD_PUBLISH_MAX_IN_FLIGHT)", maxInFlight, 1);
        atLeast("io-threads (SWITCHBOARD_PUBLISH_IO_THREADS)", ioThreads, 1);
        if (maxMessagesPerSecond != 0 && maxMessagesPerSecond < 100) {
            throw invalid(
                    "max-messages-per-second (PUSHER_MAX_MESSAGES_PER_SECOND)",
                    maxMessagesPerSecond,
                    "must be 0 (no limit) or at least 100, since one trigger may carry 100 channels");
        }
    }

    private static void notBlank(String name, String value) {
        if (value == null || value.isBlank()) {
            throw invalid(name, value, "must be set");
        }
    }

    private static void positive(String name, Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw invalid(name, value, "must be a positive duration, such as 200ms or 5s");
        }
    }

    private static void atLeast(String name, int value, int min) {
        if (value < min) {
            throw invalid(name, value, "must be at least " + min);
        }
    }

    private static IllegalArgumentException invalid(String name, Object value, String rule) {
        return new IllegalArgumentException(PREFIX + name + " " + rule + ", not " + value);
    }

    /**
     * @param maxAttempts attempts per request, the first included; then the events are dead-lettered as
     *     RETRIES_EXHAUSTED, unless the last answer was 429: then they are not settled and are consumed again
     * @param initialBackoff the first wait; each next one doubles, with ±50% jitter
     * @param maxBackoff the longest wait between two attempts
     * @param retryAfterCap the longest Retry-After honoured (a longer one is cut to this)
     */
    public record Retry(
            @DefaultValue("8") int maxAttempts,
            @DefaultValue("200ms") Duration initialBackoff,
            @DefaultValue("5s") Duration maxBackoff,
            @DefaultValue("60s") Duration retryAfterCap) {

        public Retry {
            atLeast("retry.max-attempts", maxAttempts, 1);
            positive("retry.initial-backoff", initialBackoff);
            positive("retry.max-backoff", maxBackoff);
            if (maxBackoff.compareTo(initialBackoff) < 0) {
                throw invalid("retry.max-backoff", maxBackoff, "must be at least " + PREFIX + "retry.initial-backoff");
            }
            positive("retry.retry-after-cap", retryAfterCap);
        }
    }

    /**
     * @param failureRatePercent the share of failed calls (5xx, timeouts, connection errors; not 429 or 4xx) in the
     *     window that opens the breaker
     * @param window how many recent calls the rate is computed over
     * @param minimumCalls how many calls the window needs before the rate counts
     * @param openWait how long the breaker stays open before trying Pusher again (half open)
     * @param halfOpenCalls trial calls while half open
     */
    public record CircuitBreaker(
            @DefaultValue("50") int failureRatePercent,
            @DefaultValue("20") int window,
            @DefaultValue("4") int minimumCalls,
            @DefaultValue("5s") Duration openWait,
            @DefaultValue("3") int halfOpenCalls) {

        public CircuitBreaker {
            if (failureRatePercent < 1 || failureRatePercent > 100) {
                throw invalid("circuit-breaker.failure-rate-percent", failureRatePercent, "must be from 1 to 100");
            }
            atLeast("circuit-breaker.window", window, 1);
            atLeast("circuit-breaker.minimum-calls", minimumCalls, 1);
            positive("circuit-breaker.open-wait", openWait);
            atLeast("circuit-breaker.half-open-calls", halfOpenCalls, 1);
        }
    }
}
