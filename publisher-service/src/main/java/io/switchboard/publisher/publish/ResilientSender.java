package io.switchboard.publisher.publish;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.retry.Retry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Sends a request through resilience4j: a retry (exponential backoff with jitter, bounded attempts) around a circuit
 * breaker around the call; each attempt first waits for Pusher's Retry-After and for the rate limiter's permits
 * (one per event and channel, as Pusher counts messages), and counts as a transient failure if Pusher has not
 * answered within the request timeout. Never completes exceptionally: the result says what happened.
 */
public final class ResilientSender {

    private final PusherGateway gateway;
    private final Retry retry;
    private final CircuitBreaker circuitBreaker;
    private final RateLimiter rateLimiter;
    private final RetryAfterGate retryAfter;
    private final ScheduledExecutorService scheduler;
    private final Duration requestTimeout;
    /** How many times the breaker has opened: a request that sees it change stops retrying (see send). */
    private final AtomicLong openings = new AtomicLong();

    /**
     * @param rateLimiter null for no rate limit
     */
    public ResilientSender(
            PusherGateway gateway,
            Retry retry,
            CircuitBreaker circuitBreaker,
            RateLimiter rateLimiter,
            RetryAfterGate retryAfter,
            ScheduledExecutorService scheduler,
            Duration requestTimeout) {
        this.gateway = gateway;
        this.retry = retry;
        this.circuitBreaker = circuitBreaker;
        this.rateLimiter = rateLimiter;
        this.retryAfter = retryAfter;
        this.scheduler = scheduler;
        this.requestTimeout = requestTimeout;
        circuitBreaker.getEventPublisher().onStateTransition(event -> {
            if (event.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                openings.incrementAndGet();
            }
        });
    }

    public CompletableFuture<SendResult> send(PusherRequest request) {
        AtomicInteger attempts = new AtomicInteger();
        AtomicReference<PublishOutcome> last = new AtomicReference<>();
        Supplier<CompletionStage<PublishOutcome>> attempt =
                () -> after(retryAfter.remaining().plusNanos(permits(request)))
                        .thenCompose(ignored -> {
                            attempts.incrementAndGet();
                            return gateway.publish(request)
                                    .orTimeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS)
                                    .exceptionally(ResilientSender::timedOut);
                        })
                        .thenApply(outcome -> {
                            last.set(outcome);
                            return outcome;
                        });
        Supplier<CompletionStage<PublishOutcome>> breaker =
                CircuitBreaker.decorateCompletionStage(circuitBreaker, attempt);
        // Once the breaker has opened, this request's retries stop and it is paused with the rest, even if the
        // breaker is half open again by its next attempt: a backoff longer than the open wait would otherwise
        // spend the remaining attempts on the half-open trials and dead-letter the events of a long outage.
        long generation = openings.get();
        Supplier<CompletionStage<PublishOutcome>> guarded = () -> openings.get() == generation
                ? breaker.get()
                : CompletableFuture.failedFuture(
                        CallNotPermittedException.createCallNotPermittedException(circuitBreaker));
        return Retry.decorateCompletionStage(retry, scheduler, guarded)
                .get()
                .toCompletableFuture()
                .handle((outcome, error) -> {
                    if (error == null) {
                        return SendResult.of(outcome, attempts.get());
                    }
                    if (unwrap(error) instanceof CallNotPermittedException) {
                        return SendResult.circuitOpen(last.get(), attempts.get());
                    }
                    return SendResult.of(PublishOutcome.networkError(unwrap(error)), attempts.get());
                });
    }

    private long permits(PusherRequest request) {
        if (rateLimiter == null) {
            return 0;
        }
        long nanos = rateLimiter.reservePermission(request.messageCount());
        return Math.max(0, nanos);
    }

    private CompletableFuture<Void> after(Duration wait) {
        if (wait.isZero() || wait.isNegative()) {
            return CompletableFuture.completedFuture(null);
        }
        Executor delayed = CompletableFuture.delayedExecutor(wait.toNanos(), TimeUnit.NANOSECONDS, scheduler::execute);
        return CompletableFuture.runAsync(() -> {}, delayed);
    }

    private static PublishOutcome timedOut(Throwable error) {
        Throwable cause = unwrap(error);
        if (cause instanceof TimeoutException) {
            return new PublishOutcome(PublishOutcome.Kind.TRANSIENT, null, "no answer within the request timeout");
        }
        return PublishOutcome.networkError(cause);
    }

    private static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof java.util.concurrent.CompletionException
                        || t instanceof java.util.concurrent.ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
