package io.switchboard.publisher.publish;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** A ResilientSender with short waits, for unit tests: 6 attempts 1 ms apart, a breaker that opens after 4 failures (429s excepted, as in production). */
public final class ResilientSenderFixture {

    public static final ScheduledExecutorService SCHEDULER = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "test-retry");
        t.setDaemon(true);
        return t;
    });

    public final CircuitBreaker breaker = CircuitBreaker.of(
            "test",
            CircuitBreakerConfig.custom()
                    .slidingWindowSize(10)
                    .minimumNumberOfCalls(4)
                    .failureRateThreshold(50)
                    .waitDurationInOpenState(Duration.ofMinutes(1))
                    .recordResult(r -> r instanceof PublishOutcome o
                            && o.kind() == PublishOutcome.Kind.TRANSIENT
                            && !Integer.valueOf(429).equals(o.httpStatus()))
                    .build());

    public final Retry retry = Retry.of(
            "test",
            RetryConfig.<PublishOutcome>custom()
                    .maxAttempts(6)
                    .intervalFunction(IntervalFunction.of(1))
                    .retryOnResult(o -> o.kind() == PublishOutcome.Kind.TRANSIENT)
                    .retryOnException(e -> false)
                    .build());

    public final RetryAfterGate retryAfter = new RetryAfterGate(Clock.systemUTC(), Duration.ofSeconds(5));

    public ResilientSender sender(PusherGateway gateway) {
        return new ResilientSender(gateway, retry, breaker, null, retryAfter, SCHEDULER, Duration.ofSeconds(5));
    }
}
