package io.switchboard.publisher.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.kafka.TransientFailure;
import io.switchboard.publisher.dedupe.InMemoryDedupeStore;
import io.switchboard.publisher.publish.Dispatcher;
import io.switchboard.publisher.publish.PublishOutcome;
import io.switchboard.publisher.publish.PusherGateway;
import io.switchboard.publisher.publish.PusherMessage;
import io.switchboard.publisher.publish.ResilientSenderFixture;
import io.switchboard.schemas.ChannelPublish;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class OrderedDeliveryTest {

    private final ResilientSenderFixture fixture = new ResilientSenderFixture();
    private final InMemoryDedupeStore dedupe = new InMemoryDedupeStore(Duration.ofHours(1), 10_000, Clock.systemUTC());
    private final List<ConsumerRecord<?, ?>> deadLettered = new CopyOnWriteArrayList<>();
    private final PublisherMetrics metrics = new PublisherMetrics(new SimpleMeterRegistry(), Clock.systemUTC());

    /** Answers after a random delay, on another thread, as a real server would; keeps the order of acceptance. */
    private final List<PusherMessage> accepted = new CopyOnWriteArrayList<>();

    private final Map<String, AtomicInteger> inFlightPerKey = new ConcurrentHashMap<>();
    private final AtomicInteger overlaps = new AtomicInteger();

    private PusherGateway slowPusher(java.util.function.Predicate<PusherMessage> refuse) {
        return request -> {
            request.messages().forEach(m -> {
                if (inFlightPerKey
                                .computeIfAbsent(key(m), k -> new AtomicInteger())
                                .incrementAndGet()
                        > 1) {
                    overlaps.incrementAndGet();
                }
            });
            return CompletableFuture.supplyAsync(
                    () -> {
                        request.messages()
                                .forEach(m -> inFlightPerKey.get(key(m)).decrementAndGet());
                        if (request.messages().stream().anyMatch(refuse)) {
                            return PublishOutcome.fromHttp(413, "too big");
                        }
                        accepted.addAll(request.messages());
                        return PublishOutcome.delivered(200);
                    },
                    CompletableFuture.delayedExecutor(
                            ThreadLocalRandom.current().nextInt(3), TimeUnit.MILLISECONDS));
        };
    }

    private static String key(PusherMessage m) {
        return m.eventId().substring(0, m.eventId().indexOf('#'));
    }

    private OrderedDelivery delivery(PusherGateway pusher) {
        return new OrderedDelivery(
                new Dispatcher(fixture.sender(pusher), 8), dedupe, (record, e) -> deadLettered.add(record), metrics);
    }

    /** audit-K#n: the n-th event of aggregate K, keyed by K as the router keys them. */
    private static List<ConsumerRecord<String, ChannelPublish>> records(int keys, int perKey) {
        List<ConsumerRecord<String, ChannelPublish>> records = new ArrayList<>();
        for (int n = 0; n < perKey; n++) {
            for (int k = 0; k < keys; k++) {
                String key = "audit-" + k;
                ChannelPublish publish = ChannelPublish.newBuilder()
                        .setEventId(key + "#" + n)
                        .setName("audit.progress")
                        .setChannels(List.of("private-audit-" + key))
                        .setData("{\"audit_id\":\"" + key + "\",\"completed_steps\":" + n + "}")
                        .setOccurredAt(Instant.now())
                        .setRoutedAt(Instant.now())
                        .setTruncated(false)
                        .setOriginalBytes(40)
                        .build();
                records.add(new ConsumerRecord<>("realtime.publish", k % 3, records.size(), key, publish));
            }
        }
        return records;
    }

    @Test
    void deliversEveryRecordOnceInOrderPerKeyWithKeysInParallel() throws Exception {
        List<ConsumerRecord<String, ChannelPublish>> records = records(37, 6);

        OrderedDelivery.Result result = delivery(slowPusher(m -> false)).settle(records);

        assertThat(result).isEqualTo(OrderedDelivery.Result.SETTLED);
        assertThat(accepted).hasSize(records.size());
        assertThat(overlaps).as("two events of one key in flight together").hasValue(0);
        Map<String, List<String>> perKey = accepted.stream()
                .collect(Collectors.groupingBy(
                        OrderedDeliveryTest::key, Collectors.mapping(PusherMessage::eventId, Collectors.toList())));
        perKey.forEach((key, ids) -> assertThat(ids)
                .containsExactly(key + "#0", key + "#1", key + "#2", key + "#3", key + "#4", key + "#5"));
    }

    @Test
    void anEventAlreadyDeliveredIsNotSentAgain() throws Exception {
        List<ConsumerRecord<String, ChannelPublish>> records = records(2, 2);
        delivery(slowPusher(m -> false)).settle(records);
        accepted.clear();

        OrderedDelivery.Result result =
                delivery(slowPusher(m -> false)).settle(records); // the same poll, consumed again

        assertThat(result).isEqualTo(OrderedDelivery.Result.SETTLED);
        assertThat(accepted).isEmpty();
    }

    @Test
    void anEventThatAppearsTwiceInOnePollGoesOnce() throws Exception {
        List<ConsumerRecord<String, ChannelPublish>> records = new ArrayList<>(records(2, 2));
        ConsumerRecord<String, ChannelPublish> first = records.get(0);
        records.add(new ConsumerRecord<>(first.topic(), first.partition(), 99, first.key(), first.value()));

        OrderedDelivery.Result result = delivery(slowPusher(m -> false)).settle(records);

        assertThat(result).isEqualTo(OrderedDelivery.Result.SETTLED);
        assertThat(accepted)
                .extracting(PusherMessage::eventId)
                .containsOnlyOnce(first.value().getEventId());
        assertThat(dedupe.undelivered(first.value().getEventId(), first.value().getChannels()))
                .isEmpty();
    }

    @Test
    void aRefusedEventIsDeadLetteredAndTheNextOfItsKeyStillGoes() throws Exception {
        List<ConsumerRecord<String, ChannelPublish>> records = records(3, 3);

        OrderedDelivery.Result result =
                delivery(slowPusher(m -> m.eventId().equals("audit-1#1"))).settle(records);

        assertThat(result).isEqualTo(OrderedDelivery.Result.SETTLED);
        assertThat(deadLettered)
                .extracting(r -> ((ChannelPublish) r.value()).getEventId())
                .containsExactly("audit-1#1");
        assertThat(accepted).extracting(PusherMessage::eventId).hasSize(8).contains("audit-1#0", "audit-1#2");
    }

    @Test
    void anOpenCircuitStopsDeliveryAndNamesTheFirstRecordToConsumeAgain() throws Exception {
        List<ConsumerRecord<String, ChannelPublish>> records = records(2, 3);
        AtomicInteger calls = new AtomicInteger();
        // Pusher is down: the breaker opens on real failures (4 of them), not by decree
        PusherGateway down = request -> {
            calls.incrementAndGet();
            return CompletableFuture.completedFuture(PublishOutcome.fromHttp(503, "unavailable"));
        };

        OrderedDelivery.Result result = delivery(down).settle(records);

        assertThat(fixture.breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(calls).as("requests before the breaker opened").hasValueGreaterThanOrEqualTo(4);
        assertThat(result.firstUnsettled()).isZero();
        assertThat(result.cause()).isInstanceOf(CircuitOpenException.class).isInstanceOf(TransientFailure.class);
        assertThat(accepted).isEmpty();
        assertThat(deadLettered).isEmpty();
    }

    /**
     * Regression (review of issue 13): a 429 never opens the breaker (rate limiting is not an outage), so a storm of
     * 429s longer than the retry budget ran every request out of attempts and dead-lettered good records as
     * RETRIES_EXHAUSTED. Rate limiting must slow delivery down, never dead-letter: the poll stops at its first
     * unsettled record, as when the circuit is open, and everything is delivered once the storm has passed.
     */
    @Test
    void aRateLimitStormLongerThanTheRetryBudgetDelaysButNeverDeadLetters() throws Exception {
        List<ConsumerRecord<String, ChannelPublish>> records = records(3, 4);
        AtomicBoolean storm = new AtomicBoolean(true);
        AtomicInteger rateLimited = new AtomicInteger();
        PusherGateway pusher = request -> {
            if (storm.get()) {
                rateLimited.incrementAndGet();
                return CompletableFuture.completedFuture(
                        PublishOutcome.fromHttp(429, "{\"error\":\"Too many requests\"}"));
            }
            accepted.addAll(request.messages());
            return CompletableFuture.completedFuture(PublishOutcome.delivered(200));
        };
        OrderedDelivery delivery = delivery(pusher);

        OrderedDelivery.Result during = delivery.settle(records);

        assertThat(rateLimited)
                .as("requests answered 429: the retry budget (6 attempts) ran out")
                .hasValue(6);
        assertThat(fixture.breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(deadLettered)
                .as("dead-lettered because Pusher rate-limited us")
                .isEmpty();
        assertThat(during.firstUnsettled()).isZero();
        assertThat(during.cause())
                .isInstanceOf(RateLimitedException.class)
                .isInstanceOf(TransientFailure.class)
                .hasMessageContaining("429");

        // the storm passes; the error handler consumes again from the first unsettled record
        storm.set(false);
        OrderedDelivery.Result after = delivery.settle(records.subList(during.firstUnsettled(), records.size()));

        assertThat(after).isEqualTo(OrderedDelivery.Result.SETTLED);
        assertThat(deadLettered).isEmpty();
        assertThat(accepted)
                .extracting(PusherMessage::eventId)
                .hasSize(records.size())
                .doesNotHaveDuplicates();
        Map<String, List<String>> perKey = accepted.stream()
                .collect(Collectors.groupingBy(
                        OrderedDeliveryTest::key, Collectors.mapping(PusherMessage::eventId, Collectors.toList())));
        perKey.forEach((key, ids) -> assertThat(ids).containsExactly(key + "#0", key + "#1", key + "#2", key + "#3"));
    }

    /**
     * Regression (issue 13, item 3): "the publisher can commit records it never delivered". A dead-letter write
     * failed and the failing record's index was reported at once, while records before it (of other keys) were
     * still in flight or queued; spring-kafka commits every index before the reported one, so they were skipped.
     */
    @Test
    void aFailedDeadLetterWriteCommitsNothingPastTheFirstUnsettledRecord() throws Exception {
        // index 0: slow-0#0, answered after 200 ms; index 1: slow-0#1, queued behind it; index 2: bad-0#0, refused
        // at once, and its dead letter cannot be written
        List<ConsumerRecord<String, ChannelPublish>> records = List.of(
                record("slow-0", "slow-0#0", 0), record("slow-0", "slow-0#1", 1), record("bad-0", "bad-0#0", 2));
        PusherGateway pusher = request -> {
            if (request.messages().stream().anyMatch(m -> m.eventId().startsWith("bad"))) {
                return CompletableFuture.completedFuture(PublishOutcome.fromHttp(413, "too big"));
            }
            return CompletableFuture.supplyAsync(
                    () -> {
                        accepted.addAll(request.messages());
                        return PublishOutcome.delivered(200);
                    },
                    CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS));
        };
        OrderedDelivery delivery = new OrderedDelivery(
                new Dispatcher(fixture.sender(pusher), 8),
                dedupe,
                (record, e) -> {
                    throw new IllegalStateException("the dead-letter topic did not acknowledge");
                },
                metrics);

        OrderedDelivery.Result result = delivery.settle(records);

        // what was in flight was awaited; nothing more was offered; the first unsettled record is slow-0#1, which
        // was never sent: consumption resumes from it, so it is not skipped
        assertThat(accepted).extracting(PusherMessage::eventId).containsExactly("slow-0#0");
        assertThat(result.firstUnsettled()).isEqualTo(1);
        assertThat(result.cause())
                .isInstanceOf(TransientFailure.class)
                .hasMessageContaining("bad-0#0")
                .hasMessageContaining("did not acknowledge");
        assertThat(dedupe.undelivered("slow-0#0", List.of("private-audit-slow-0")))
                .as("what Pusher accepted is remembered")
                .isEmpty();
    }

    /** Regression (issue 13, item 14): in-poll dedupe was keyed by event id, so a repeat's other channels were lost. */
    @Test
    void anEventIdThatComesTwiceInAPollWithOtherChannelsReachesTheUnionOnce() throws Exception {
        ChannelPublish first = publish("e-1", List.of("private-a"));
        ChannelPublish second = publish("e-1", List.of("private-a", "private-b"));
        List<ConsumerRecord<String, ChannelPublish>> records = List.of(
                new ConsumerRecord<>("realtime.publish", 0, 0, "k", first),
                new ConsumerRecord<>("realtime.publish", 0, 1, "k", second));
        List<String> deliveries = new CopyOnWriteArrayList<>();
        PusherGateway pusher = request -> {
            request.messages().forEach(m -> m.channels().forEach(c -> deliveries.add(m.eventId() + "→" + c)));
            return CompletableFuture.completedFuture(PublishOutcome.delivered(200));
        };

        OrderedDelivery.Result result = delivery(pusher).settle(records);

        assertThat(result).isEqualTo(OrderedDelivery.Result.SETTLED);
        assertThat(deliveries).containsExactlyInAnyOrder("e-1→private-a", "e-1→private-b");
        assertThat(dedupe.undelivered("e-1", List.of("private-a", "private-b"))).isEmpty();
    }

    private static ConsumerRecord<String, ChannelPublish> record(String key, String eventId, int offset) {
        return new ConsumerRecord<>(
                "realtime.publish", 0, offset, key, publish(eventId, List.of("private-audit-" + key)));
    }

    private static ChannelPublish publish(String eventId, List<String> channels) {
        return ChannelPublish.newBuilder()
                .setEventId(eventId)
                .setName("audit.progress")
                .setChannels(channels)
                .setData("{\"n\":1}")
                .setOccurredAt(Instant.now())
                .setRoutedAt(Instant.now())
                .setTruncated(false)
                .setOriginalBytes(7)
                .build();
    }
    /**
     * An event to clear and encrypted channels is cut into requests (an encrypted channel goes on its own). When the
     * clear part was accepted and the encrypted one was still rate-limited, the record is consumed again: the
     * channels Pusher already accepted it for must not get it a second time (dedupe is per event and channel).
     */
    @Test
    void aChannelReachedBeforeItsEncryptedSiblingWasRateLimitedIsNotSentAgain() throws Exception {
        ChannelPublish publish = ChannelPublish.newBuilder()
                .setEventId("mixed-0#0")
                .setName("audit.progress")
                .setChannels(List.of("private-audit-1", "private-fiche-2", "private-encrypted-audit-1"))
                .setData("{\"audit_id\":\"1\"}")
                .setOccurredAt(Instant.now())
                .setRoutedAt(Instant.now())
                .setTruncated(false)
                .setOriginalBytes(16)
                .build();
        List<ConsumerRecord<String, ChannelPublish>> records =
                List.of(new ConsumerRecord<>("realtime.publish", 0, 0, "mixed-0", publish));
        AtomicBoolean limited = new AtomicBoolean(true);
        List<String> reached = new CopyOnWriteArrayList<>();
        PusherGateway pusher = request -> {
            if (limited.get() && request.messages().get(0).channels().get(0).startsWith("private-encrypted-")) {
                return CompletableFuture.completedFuture(PublishOutcome.fromHttp(429, "slow down"));
            }
            request.messages().forEach(m -> reached.addAll(m.channels()));
            return CompletableFuture.completedFuture(PublishOutcome.delivered(200));
        };
        OrderedDelivery delivery = new OrderedDelivery(
                new Dispatcher(fixture.sender(pusher), 8, true), dedupe, (r, e) -> deadLettered.add(r), metrics);

        OrderedDelivery.Result during = delivery.settle(records);
        limited.set(false);
        OrderedDelivery.Result after = delivery.settle(records); // consumed again

        assertThat(during.firstUnsettled()).isZero();
        assertThat(after).isEqualTo(OrderedDelivery.Result.SETTLED);
        assertThat(reached)
                .containsExactlyInAnyOrder("private-audit-1", "private-fiche-2", "private-encrypted-audit-1");
        assertThat(deadLettered).isEmpty();
    }
}
