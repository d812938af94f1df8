package io.switchboard.publisher.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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

        int unsettled = delivery(slowPusher(m -> false)).deliver(records);

        assertThat(unsettled).isEqualTo(-1);
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
        delivery(slowPusher(m -> false)).deliver(records);
        accepted.clear();

        int unsettled = delivery(slowPusher(m -> false)).deliver(records); // the same poll, consumed again

        assertThat(unsettled).isEqualTo(-1);
        assertThat(accepted).isEmpty();
    }

    @Test
    void anEventThatAppearsTwiceInOnePollGoesOnce() throws Exception {
        List<ConsumerRecord<String, ChannelPublish>> records = new ArrayList<>(records(2, 2));
        ConsumerRecord<String, ChannelPublish> first = records.get(0);
        records.add(new ConsumerRecord<>(first.topic(), first.partition(), 99, first.key(), first.value()));

        int unsettled = delivery(slowPusher(m -> false)).deliver(records);

        assertThat(unsettled).isEqualTo(-1);
        assertThat(accepted)
                .extracting(PusherMessage::eventId)
                .containsOnlyOnce(first.value().getEventId());
        assertThat(dedupe.undelivered(first.value().getEventId(), first.value().getChannels()))
                .isEmpty();
    }

    @Test
    void aRefusedEventIsDeadLetteredAndTheNextOfItsKeyStillGoes() throws Exception {
        List<ConsumerRecord<String, ChannelPublish>> records = records(3, 3);

        int unsettled =
                delivery(slowPusher(m -> m.eventId().equals("audit-1#1"))).deliver(records);

        assertThat(unsettled).isEqualTo(-1);
        assertThat(deadLettered)
                .extracting(r -> ((ChannelPublish) r.value()).getEventId())
                .containsExactly("audit-1#1");
        assertThat(accepted).extracting(PusherMessage::eventId).hasSize(8).contains("audit-1#0", "audit-1#2");
    }

    @Test
    void anOpenCircuitStopsDeliveryAndNamesTheFirstRecordToConsumeAgain() throws Exception {
        List<ConsumerRecord<String, ChannelPublish>> records = records(2, 3);
        fixture.breaker.transitionToOpenState();

        int unsettled = delivery(slowPusher(m -> false)).deliver(records);

        assertThat(unsettled).isZero();
        assertThat(accepted).isEmpty();
        assertThat(deadLettered).isEmpty();
    }
}
