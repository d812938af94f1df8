package io.switchboard.publisher.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.switchboard.publisher.config.PublisherProperties;
import io.switchboard.publisher.config.ResilienceConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DispatcherTest {

    private final ResilientSenderFixture fixture = new ResilientSenderFixture();

    private static PusherMessage message(String id, String... channels) {
        return new PusherMessage(id, "audit.progress", List.of(channels), "{\"audit_id\":\"" + id + "\"}", null);
    }

    @Test
    void groupsSingleChannelEventsTenToABatchAndSendsMultiChannelOnesAlone() throws Exception {
        InMemoryPusherGateway pusher = new InMemoryPusherGateway();
        List<PusherMessage> messages = new ArrayList<>();
        IntStream.range(0, 23).forEach(i -> messages.add(message("e" + i, "private-audit-" + i)));
        messages.add(message("multi", "private-audit-A", "private-fiche-F"));

        Map<PusherMessage, SendResult> results = new Dispatcher(fixture.sender(pusher), 4).deliver(messages);

        assertThat(results.values()).allMatch(r -> r.status() == SendResult.Status.DELIVERED);
        assertThat(pusher.exchanges())
                .extracting(e -> e.request().messages().size())
                .containsExactlyInAnyOrder(10, 10, 3, 1);
        assertThat(pusher.accepted()).containsExactlyInAnyOrderElementsOf(messages);
    }

    @Test
    void neverHasMoreRequestsInFlightThanAllowed() throws Exception {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        PusherGateway slow = request -> {
            most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            return java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> {
                        inFlight.decrementAndGet();
                        return PublishOutcome.delivered(200);
                    },
                    java.util.concurrent.CompletableFuture.delayedExecutor(
                            2, java.util.concurrent.TimeUnit.MILLISECONDS));
        };
        List<PusherMessage> messages = new ArrayList<>();
        IntStream.range(0, 300).forEach(i -> messages.add(message("e" + i, "private-audit-" + i)));

        Map<PusherMessage, SendResult> results = new Dispatcher(fixture.sender(slow), 3).deliver(messages);

        assertThat(results).hasSize(300);
        assertThat(most.get()).isEqualTo(3);
    }

    @Test
    void anEventToMoreThanAHundredChannelsIsCutIntoTriggersOfAHundred() throws Exception {
        InMemoryPusherGateway pusher = new InMemoryPusherGateway();
        String[] channels =
                IntStream.range(0, 250).mapToObj(i -> "private-org." + i).toArray(String[]::new);
        PusherMessage wide = message("wide", channels);

        Map<PusherMessage, SendResult> results = new Dispatcher(fixture.sender(pusher), 4).deliver(List.of(wide));

        assertThat(results.get(wide).status()).isEqualTo(SendResult.Status.DELIVERED);
        assertThat(pusher.exchanges())
                .extracting(e -> e.request().messages().get(0).channels().size())
                .containsExactlyInAnyOrder(100, 100, 50);
    }

    @Test
    void aBatchPusherRefusesIsSplitSoThatOnlyTheBadEventFails() throws Exception {
        // Pusher refuses a batch whole when one event is too big (413)
        InMemoryPusherGateway pusher = new InMemoryPusherGateway(
                request -> request.messages().stream().anyMatch(m -> m.eventId().equals("bad"))
                        ? PublishOutcome.fromHttp(413, "Payload Too Large")
                        : PublishOutcome.delivered(200));
        List<PusherMessage> messages = new ArrayList<>();
        IntStream.range(0, 9).forEach(i -> messages.add(message("ok" + i, "private-audit-" + i)));
        PusherMessage bad = message("bad", "private-audit-X");
        messages.add(4, bad);

        Map<PusherMessage, SendResult> results = new Dispatcher(fixture.sender(pusher), 4).deliver(messages);

        assertThat(results.get(bad).status()).isEqualTo(SendResult.Status.REFUSED);
        assertThat(results.get(bad).outcome().httpStatus()).isEqualTo(413);
        messages.stream()
                .filter(m -> m != bad)
                .forEach(m -> assertThat(results.get(m).status()).isEqualTo(SendResult.Status.DELIVERED));
        assertThat(pusher.accepted()).hasSize(9).doesNotContain(bad);
    }

    @Test
    void transientFailuresAreRetriedUntilPusherAccepts() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        InMemoryPusherGateway pusher = new InMemoryPusherGateway(request -> calls.incrementAndGet() < 3
                ? PublishOutcome.fromHttp(503, "unavailable")
                : PublishOutcome.delivered(200));
        PusherMessage m = message("e", "private-audit-A");

        SendResult result =
                new Dispatcher(fixture.sender(pusher), 1).deliver(List.of(m)).get(m);

        assertThat(result.status()).isEqualTo(SendResult.Status.DELIVERED);
        assertThat(result.attempts()).isEqualTo(3);
    }

    @Test
    void retriesStopAtTheirBoundAndSayHowManyAttemptsWereMade() throws Exception {
        // a 5xx that this request keeps getting while the breaker stays closed (other calls succeed: here the
        // breaker waits for 100 calls before it judges)
        CircuitBreaker patient = CircuitBreaker.of(
                "patient",
                ResilienceConfig.circuitBreakerConfig(
                        new PublisherProperties.CircuitBreaker(50, 100, 100, Duration.ofMinutes(1), 3)));
        InMemoryPusherGateway pusher = new InMemoryPusherGateway(request -> PublishOutcome.fromHttp(500, "oops"));
        ResilientSender sender = new ResilientSender(
                pusher,
                fixture.retry,
                patient,
                null,
                fixture.retryAfter,
                ResilientSenderFixture.SCHEDULER,
                Duration.ofSeconds(5));
        PusherMessage m = message("e", "private-audit-A");

        SendResult result = new Dispatcher(sender, 1).deliver(List.of(m)).get(m);

        assertThat(result.status()).isEqualTo(SendResult.Status.RETRIES_EXHAUSTED);
        assertThat(result.decided()).as("dead-lettered").isTrue();
        assertThat(result.attempts()).isEqualTo(6);
        assertThat(result.outcome().httpStatus()).isEqualTo(500);
    }

    /** Regression (review of issue 13): a 429 to the last attempt ended as RETRIES_EXHAUSTED, a dead letter. */
    @Test
    void stillRateLimitedWhenTheRetriesRunOutIsUndecidedNotADeadLetter() throws Exception {
        InMemoryPusherGateway pusher = new InMemoryPusherGateway(request -> PublishOutcome.fromHttp(429, "slow down"));
        PusherMessage m = message("e", "private-audit-A");

        SendResult result =
                new Dispatcher(fixture.sender(pusher), 1).deliver(List.of(m)).get(m);

        assertThat(result.status()).isEqualTo(SendResult.Status.RATE_LIMITED);
        assertThat(result.decided()).isFalse();
        assertThat(result.attempts()).isEqualTo(6);
        assertThat(result.outcome().httpStatus()).isEqualTo(429);
        assertThat(fixture.breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void anEventCutIntoTriggersIsUndecidedWhenOneOfThemIsStillRateLimited() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        // the first trigger goes through; then Pusher rate-limits, and the next one fails for good
        InMemoryPusherGateway pusher = new InMemoryPusherGateway(request -> switch (calls.incrementAndGet()) {
            case 1 -> PublishOutcome.delivered(200);
            case 2, 3, 4, 5, 6, 7 -> PublishOutcome.fromHttp(429, "slow down");
            default -> PublishOutcome.fromHttp(413, "too big");
        });
        String[] channels =
                IntStream.range(0, 250).mapToObj(i -> "private-org." + i).toArray(String[]::new);
        PusherMessage wide = message("wide", channels);

        SendResult result =
                new Dispatcher(fixture.sender(pusher), 1).deliver(List.of(wide)).get(wide);

        assertThat(result.status()).isEqualTo(SendResult.Status.RATE_LIMITED);
    }

    @Test
    void aRequestStopsRetryingOnceTheBreakerHasOpenedEvenIfItIsHalfOpenAgainByItsNextAttempt() throws Exception {
        // regression: with a backoff longer than the open wait, a request's later attempts landed on the half-open
        // trials, used up its attempts and dead-lettered its events in the middle of an outage (PublisherFaultsIT)
        CircuitBreaker quick = CircuitBreaker.of(
                "quick",
                CircuitBreakerConfig.custom()
                        .slidingWindowSize(10)
                        .minimumNumberOfCalls(4)
                        .failureRateThreshold(50)
                        .waitDurationInOpenState(Duration.ofMillis(1))
                        .automaticTransitionFromOpenToHalfOpenEnabled(true)
                        .permittedNumberOfCallsInHalfOpenState(3)
                        .recordResult(r -> r instanceof PublishOutcome o && !o.delivered())
                        .build());
        Retry slow = Retry.of(
                "slow",
                RetryConfig.<PublishOutcome>custom()
                        .maxAttempts(8)
                        .intervalFunction(IntervalFunction.of(30))
                        .retryOnResult(o -> o.kind() == PublishOutcome.Kind.TRANSIENT)
                        .retryOnException(e -> false)
                        .build());
        InMemoryPusherGateway down = new InMemoryPusherGateway(request -> PublishOutcome.fromHttp(503, "down"));
        ResilientSender sender = new ResilientSender(
                down, slow, quick, null, fixture.retryAfter, ResilientSenderFixture.SCHEDULER, Duration.ofSeconds(5));
        PusherMessage m = message("e", "private-audit-A");

        SendResult result = new Dispatcher(sender, 1).deliver(List.of(m)).get(m);

        assertThat(result.status()).isEqualTo(SendResult.Status.CIRCUIT_OPEN);
        assertThat(result.attempts()).isEqualTo(4);
    }

    @Test
    void anOpenCircuitSendsNothingAndSettlesNothing() throws Exception {
        InMemoryPusherGateway pusher = new InMemoryPusherGateway();
        fixture.breaker.transitionToOpenState();
        PusherMessage m = message("e", "private-audit-A");

        SendResult result =
                new Dispatcher(fixture.sender(pusher), 1).deliver(List.of(m)).get(m);

        assertThat(result.status()).isEqualTo(SendResult.Status.CIRCUIT_OPEN);
        assertThat(pusher.exchanges()).isEmpty();
    }

    @Test
    void pusherGoingDownOpensTheCircuitBeforeTheRetriesRunOut() throws Exception {
        InMemoryPusherGateway pusher =
                new InMemoryPusherGateway(request -> PublishOutcome.networkError(new java.net.ConnectException()));
        PusherMessage m = message("e", "private-audit-A");

        SendResult result =
                new Dispatcher(fixture.sender(pusher), 1).deliver(List.of(m)).get(m);

        // 4 failures open the breaker before the 6 attempts are spent: the request is paused, not dead-lettered
        assertThat(result.attempts()).isEqualTo(4);
        assertThat(result.status()).isEqualTo(SendResult.Status.CIRCUIT_OPEN);
        assertThat(fixture.breaker.getState())
                .isEqualTo(io.github.resilience4j.circuitbreaker.CircuitBreaker.State.OPEN);
    }
    /**
     * pusher-http-java encrypts an event for one channel: it throws on a trigger to several channels when one is
     * encrypted, and encrypts each batch event for its own channel. So an encrypted channel goes on its own (batched
     * with other single-channel events), the clear channels of the same event together in one trigger.
     */
    @Test
    void anEventToEncryptedChannelsSendsEachEncryptedChannelOnItsOwn() throws Exception {
        InMemoryPusherGateway pusher = new InMemoryPusherGateway();
        PusherMessage mixed = message("mixed", "private-a", "private-encrypted-b", "private-c", "private-encrypted-d");
        PusherMessage single = message("single", "private-encrypted-e");

        Map<PusherMessage, SendResult> results =
                new Dispatcher(fixture.sender(pusher), 4, true).deliver(List.of(mixed, single));

        assertThat(results.get(mixed).status()).isEqualTo(SendResult.Status.DELIVERED);
        assertThat(results.get(single).status()).isEqualTo(SendResult.Status.DELIVERED);
        assertThat(pusher.exchanges())
                .extracting(e -> e.request().messages().stream()
                        .map(m -> String.join("+", m.channels()))
                        .toList())
                .containsExactlyInAnyOrder(
                        List.of("private-a+private-c"),
                        List.of("private-encrypted-b", "private-encrypted-d", "private-encrypted-e"));
        assertThat(pusher.accepted())
                .filteredOn(m -> m.eventId().equals("mixed"))
                .hasSize(3)
                .allSatisfy(m -> assertThat(m.data()).isEqualTo(mixed.data()));
    }

    @Test
    void withoutAMasterKeyAnEventToAnEncryptedChannelIsNotSentAtAllNotEvenToItsClearChannels() throws Exception {
        InMemoryPusherGateway pusher = new InMemoryPusherGateway();
        PusherMessage mixed = message("mixed", "private-a", "private-encrypted-b");
        PusherMessage clear = message("clear", "private-a");

        Map<PusherMessage, SendResult> results =
                new Dispatcher(fixture.sender(pusher), 4, false).deliver(List.of(mixed, clear));

        assertThat(results.get(mixed).status()).isEqualTo(SendResult.Status.ENCRYPTION_KEY_MISSING);
        assertThat(results.get(mixed).decided()).as("dead-lettered").isTrue();
        assertThat(results.get(mixed).attempts()).isZero();
        assertThat(results.get(mixed).outcome().message())
                .contains("PUSHER_ENCRYPTION_MASTER_KEY_BASE64", "private-encrypted-b");
        assertThat(results.get(clear).status()).isEqualTo(SendResult.Status.DELIVERED);
        assertThat(pusher.accepted()).containsExactly(clear);
    }

    @Test
    void aCutEventThatFailedSaysWhichChannelsItsOtherPartsReached() throws Exception {
        InMemoryPusherGateway pusher = new InMemoryPusherGateway(
                request -> request.messages().get(0).channels().contains("private-encrypted-b")
                        ? PublishOutcome.fromHttp(413, "too big")
                        : PublishOutcome.delivered(200));
        PusherMessage mixed = message("mixed", "private-a", "private-c", "private-encrypted-b");
        Dispatcher.Session session = new Dispatcher(fixture.sender(pusher), 4, true).session();
        session.offer(mixed);

        Dispatcher.Settled settled = session.next();

        assertThat(settled.result().status()).isEqualTo(SendResult.Status.REFUSED);
        assertThat(settled.reached()).containsExactly("private-a", "private-c");
        assertThat(session.next()).isNull();
    }

    @Test
    void noRequestCarriesAnEncryptedChannelWithOthersInOneTrigger() {
        assertThatThrownBy(() -> PusherRequest.of(message("m", "private-a", "private-encrypted-b")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("private-encrypted-");
        assertThat(PusherRequest.parts(message("m", "private-encrypted-b"))).hasSize(1);
    }
}
