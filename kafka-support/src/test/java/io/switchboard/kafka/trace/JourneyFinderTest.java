package io.switchboard.kafka.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.kafka.DeadLetterHeaders;
import io.switchboard.schemas.ChannelPublish;
import io.switchboard.schemas.DeliveryReceipt;
import io.switchboard.schemas.RealtimeEvent;
import io.switchboard.schemas.wire.PinnedSchemaRegistry;
import io.switchboard.schemas.wire.WireFormat;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** The trace core on records held in memory: what {@code switchboard trace} and the console answer. */
class JourneyFinderTest {

    private static final Instant COMMITTED = Instant.parse("2026-12-03T10:00:00Z");

    private final Topics topics = new Topics();
    private final JourneyFinder finder =
            new JourneyFinder(TraceTopics.DEFAULT, new RecordValues(PinnedSchemaRegistry.instance()));

    @Test
    void aPublishedEventIsAnsweredWithPushersAcceptanceAndItsLatency() {
        topics.add("realtime.events", "A1", WireFormat.encode(1, event("e1")), new RecordHeaders());
        topics.add("realtime.publish", "A1", WireFormat.encode(2, publish("e1")), new RecordHeaders());
        topics.add("realtime.ledger", "e1", WireFormat.encode(3, published("e1")), new RecordHeaders());
        topics.create("realtime.events.dlq");

        JourneyFinder.Result result = finder.find(TraceQuery.event("e1", "private-audit-A1"), topics);

        assertThat(result.ledger()).isTrue();
        Journey journey = result.journeys().get(0);
        assertThat(JourneyReport.lines(journey))
                .containsExactly(
                        "event e1  audit.step_completed  aggregate A1",
                        "  committed   2026-12-03T10:00:00Z",
                        "  relayed     realtime.events 0@0 at 2026-12-03T10:00:01Z",
                        "  router      routed by rule 'audits' to private-audit-A1, private-fiche-F1  (realtime.publish"
                                + " 0@0 at 2026-12-03T10:00:01Z)",
                        "  publisher   Pusher accepted it on private-audit-A1, private-fiche-F1 at"
                                + " 2026-12-03T10:00:00.640Z (640 ms after commit), 1 attempt(s), HTTP 200");
        assertThat(JourneyReport.answer(journey, "private-audit-A1", result.ledger()))
                .startsWith("Pusher accepted it on private-audit-A1 at 2026-12-03T10:00:00.640Z.");
        assertThat(JourneyReport.answer(journey, "private-audit-A2", result.ledger()))
                .isEqualTo("It was never meant for private-audit-A2: the router sent it to private-audit-A1,"
                        + " private-fiche-F1.");
    }

    @Test
    void aRouterDeadLetterIsTheAnswerWithItsReasonAndTheRedrive() {
        topics.add("realtime.events", "A2", WireFormat.encode(1, event("e2")), new RecordHeaders());
        RecordHeaders headers = new RecordHeaders();
        DeadLetterHeaders.add(headers, "router", "UNSAFE_PLACEHOLDER", "field 'audit_id' has a space", "e2");
        topics.add("realtime.events.dlq", "A2", WireFormat.encode(1, event("e2")), headers);

        JourneyFinder.Result result = finder.find(TraceQuery.event("e2", null), topics);

        Journey journey = result.journeys().get(0);
        assertThat(JourneyReport.routerLines(journey))
                .containsExactly("dead-lettered by the router: UNSAFE_PLACEHOLDER field 'audit_id' has a space"
                        + "  (realtime.events.dlq 0@0 at 2026-12-03T10:00:01Z)");
        assertThat(JourneyReport.answer(journey, null, result.ledger()))
                .isEqualTo("Not published: the router dead-lettered it as UNSAFE_PLACEHOLDER (field 'audit_id' has a"
                        + " space). Fix the cause, then: switchboard dlq redrive --event-id e2.");
    }

    /**
     * A relay dead letter (the outbox row as JSON, never an event on realtime.events): found by the row's id as by
     * the event id, told as the relay's, and answered with what to do, since dlq redrive skips relay dead letters.
     * Before, --outbox-id found nothing and the answer said to redrive it.
     */
    @Test
    void aRelayDeadLetterIsFoundByItsOutboxRowAndAnsweredWithTheRowToFix() {
        topics.create("realtime.events");
        topics.add("realtime.events", "A1", WireFormat.encode(1, event("e1")), new RecordHeaders());
        RecordHeaders headers = new RecordHeaders();
        DeadLetterHeaders.add(headers, "relay", "ROW_TOO_LARGE", "row 42 is 70,000 bytes", "e9");
        DeadLetterHeaders.put(headers, DeadLetterHeaders.OUTBOX_ID, "42");
        DeadLetterHeaders.put(headers, DeadLetterHeaders.OUTBOX_TABLE, "public.switchboard_outbox");
        topics.add(
                "realtime.events.dlq",
                "audit-9",
                ("{\"id\":42,\"eventId\":\"e9\",\"type\":\"audit.step_completed\",\"aggregateId\":\"audit-9\","
                                + "\"payload\":\"{}\",\"createdAt\":\"2026-12-03T09:59:59.500Z\",\"truncated\":true}")
                        .getBytes(StandardCharsets.UTF_8),
                headers);

        for (TraceQuery query : List.of(
                new TraceQuery(null, null, "42", null),
                TraceQuery.event("e9", null),
                new TraceQuery(null, "audit-9", null, null))) {
            JourneyFinder.Result result = finder.find(query, topics);
            assertThat(result.journeys()).as(query.describe()).singleElement().satisfies(journey -> {
                assertThat(JourneyReport.lines(journey))
                        .containsExactly(
                                "event e9  audit.step_completed  aggregate audit-9",
                                "  committed   2026-12-03T09:59:59.500Z  (outbox row 42)",
                                "  relay       dead-lettered outbox row 42: ROW_TOO_LARGE row 42 is 70,000 bytes"
                                        + "  (realtime.events.dlq 0@0 at 2026-12-03T10:00:01Z)");
                assertThat(JourneyReport.answer(journey, null, result.ledger()))
                        .isEqualTo("Not published: the relay dead-lettered outbox row 42 as ROW_TOO_LARGE (row 42"
                                + " is 70,000 bytes). That dead letter is the row itself, not a Kafka record, so dlq"
                                + " redrive skips it: fix the row (switchboard dlq show realtime.events.dlq:0:0 shows"
                                + " it) and insert it into the outbox again.");
            });
        }
        assertThat(finder.find(new TraceQuery(null, null, "43", null), topics).journeys())
                .as("another row")
                .isEmpty();
    }

    @Test
    void optionalTopicsThatDoNotExistAreNotReadAndTheAnswerSaysWhatIsUnknown() {
        topics.add("realtime.events", "A3", WireFormat.encode(1, event("e3")), new RecordHeaders());
        topics.add("realtime.publish", "A3", WireFormat.encode(2, publish("e3")), new RecordHeaders());

        JourneyFinder.Result result = finder.find(TraceQuery.event("e3", null), topics);

        assertThat(topics.read).containsExactly("realtime.events", "realtime.publish");
        assertThat(result.ledger()).isFalse();
        assertThat(JourneyReport.answer(result.journeys().get(0), null, false))
                .isEqualTo("Routed; no ledger in the window to say what the publisher did"
                        + " (SWITCHBOARD_LEDGER_ENABLED?).");
    }

    @Test
    void aChannelAloneFindsEveryEventRoutedToIt() {
        for (String id : new String[] {"e4", "e5"}) {
            topics.add("realtime.events", "A1", WireFormat.encode(1, event(id)), new RecordHeaders());
            topics.add("realtime.publish", "A1", WireFormat.encode(2, publish(id)), new RecordHeaders());
        }
        topics.add("realtime.events", "B", WireFormat.encode(1, event("other")), new RecordHeaders());

        JourneyFinder.Result result = finder.find(new TraceQuery(null, null, null, "private-fiche-F1"), topics);

        assertThat(result.journeys()).extracting(Journey::eventId).containsExactly("e4", "e5");
    }

    @Test
    void nothingFoundIsAnEmptyResult() {
        topics.create("realtime.events");

        assertThat(finder.find(TraceQuery.event("nope", null), topics).journeys())
                .isEmpty();
    }

    private static RealtimeEvent event(String id) {
        return RealtimeEvent.newBuilder()
                .setEventId(id)
                .setType("audit.step_completed")
                .setOccurredAt(COMMITTED)
                .setSource("audit-service")
                .setAggregateId(id.equals("e2") ? "A2" : id.equals("e3") ? "A3" : "A1")
                .setPayload("{\"audit_id\":\"A1\",\"fiche_id\":\"F1\"}")
                .setHeaders(Map.of())
                .build();
    }

    private static ChannelPublish publish(String id) {
        return ChannelPublish.newBuilder()
                .setEventId(id)
                .setName("audit.step_completed")
                .setChannels(List.of("private-audit-A1", "private-fiche-F1"))
                .setData("{\"audit_id\":\"A1\",\"fiche_id\":\"F1\"}")
                .setOccurredAt(COMMITTED)
                .setRoutedAt(COMMITTED.plusMillis(300))
                .setHeaders(Map.of("switchboard-rule", "audits"))
                .build();
    }

    private static DeliveryReceipt published(String id) {
        return DeliveryReceipt.newBuilder()
                .setEventId(id)
                .setAggregateId("A1")
                .setType("audit.step_completed")
                .setStage("publisher")
                .setOutcome("PUBLISHED")
                .setChannels(List.of("private-audit-A1", "private-fiche-F1"))
                .setAttempts(1)
                .setHttpStatus(200)
                .setCommittedAt(COMMITTED)
                .setSettledAt(COMMITTED.plusMillis(640))
                .setSourceTopic("realtime.publish")
                .setSourcePartition(0)
                .setSourceOffset(0)
                .build();
    }

    /** Topics in memory, one partition each; remembers which topics were read. */
    private static final class Topics implements TopicSource {
        private final Map<String, List<ConsumerRecord<byte[], byte[]>>> records = new LinkedHashMap<>();
        final List<String> read = new ArrayList<>();

        void create(String topic) {
            records.computeIfAbsent(topic, t -> new ArrayList<>());
        }

        void add(String topic, String key, byte[] value, RecordHeaders headers) {
            List<ConsumerRecord<byte[], byte[]>> list = records.computeIfAbsent(topic, t -> new ArrayList<>());
            list.add(new ConsumerRecord<>(
                    topic,
                    0,
                    list.size(),
                    COMMITTED.plusSeconds(1).toEpochMilli(),
                    TimestampType.CREATE_TIME,
                    -1,
                    value.length,
                    key.getBytes(StandardCharsets.UTF_8),
                    value,
                    headers,
                    Optional.empty()));
        }

        @Override
        public boolean exists(String topic) {
            return records.containsKey(topic);
        }

        @Override
        public List<ConsumerRecord<byte[], byte[]>> read(String topic, Predicate<ConsumerRecord<byte[], byte[]>> keep) {
            read.add(topic);
            return records.getOrDefault(topic, List.of()).stream().filter(keep).toList();
        }
    }
}
