package io.switchboard.publisher.publish;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;
import io.switchboard.publisher.config.PublisherProperties;
import io.switchboard.publisher.config.ResilienceConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A ResilientSender for unit tests, built from the production configurations (ResilienceConfig: what opens the
 * breaker, what is retried) with short settings: 6 attempts about 1 ms apart, a breaker over the last 10 calls that
 * opens when half of at least 4 failed, and stays open for a minute.
 */
public final class ResilientSenderFixture {

    public static final ScheduledExecutorService SCHEDULER = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "test-retry");
        t.setDaemon(true);
        return t;
    });

    public final CircuitBreaker breaker = CircuitBreaker.of(
            "test",
            ResilienceConfig.circuitBreakerConfig(
                    new PublisherProperties.CircuitBreaker(50, 10, 4, Duration.ofMinutes(1), 3)));

    public final Retry retry = Retry.of(
            "test",
            ResilienceConfig.retryConfig(new PublisherProperties.Retry(
                    6, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofSeconds(5))));

    public final RetryAfterGate retryAfter = new RetryAfterGate(Clock.systemUTC(), Duration.ofSeconds(5));

    public ResilientSender sender(PusherGateway gateway) {
        return new ResilientSender(gateway, retry, breaker, null, retryAfter, SCHEDULER, Duration.ofSeconds(5));
    }
}
