package io.switchboard.kafka.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.kafka.DeadLetterHeaders;
import io.switchboard.kafka.ReplayHeaders;
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

    /**
     * The second copy of a delivered event, traced in a window that starts after the first copy's acceptance: its
     * only outcome is the publisher's duplicate skip, and the answer says so (the answer was never tested).
     */
    @Test
    void aCopyWhoseOnlyOutcomeIsADuplicateSkipIsAnsweredAsSuch() {
        topics.add("realtime.events", "A1", WireFormat.encode(1, event("e6")), new RecordHeaders());
        topics.add("realtime.publish", "A1", WireFormat.encode(2, publish("e6")), new RecordHeaders());
        DeliveryReceipt skipped =
                receipt("e6", "SKIPPED_DUPLICATE", List.of("private-audit-A1", "private-fiche-F1"), 0);
        topics.add("realtime.ledger", "e6", WireFormat.encode(3, skipped), new RecordHeaders());

        JourneyFinder.Result result = finder.find(TraceQuery.event("e6", null), topics);

        Journey journey = result.journeys().get(0);
        assertThat(JourneyReport.publisherLines(journey))
                .containsExactly("skipped as a duplicate on private-audit-A1, private-fiche-F1 at"
                        + " 2026-12-03T10:00:00.640Z (already delivered there; record realtime.publish 0@0)");
        assertThat(JourneyReport.answer(journey, null, result.ledger()))
                .isEqualTo("Skipped as a duplicate: it had already been delivered to private-audit-A1,"
                        + " private-fiche-F1 (an earlier copy's receipt may be older than the window).");
    }

    /**
     * A shadow replay's publish (replay --shadow-prefix keeps the event id) and its receipt are the replay's, not
     * deliveries to users: before, the answer listed the shadow channels as where Pusher accepted the event.
     */
    @Test
    void aShadowReplaysDeliveryIsToldApartAndNeverAnsweredAsTheUsers() {
        topics.add("realtime.events", "A1", WireFormat.encode(1, event("e7")), new RecordHeaders());
        topics.add("realtime.publish", "A1", WireFormat.encode(2, publish("e7")), new RecordHeaders());
        ChannelPublish shadow = ChannelPublish.newBuilder(publish("e7"))
                .setChannels(List.of("private-debug-audit-A1", "private-debug-fiche-F1"))
                .setHeaders(Map.of(
                        ReplayHeaders.ID, "R1",
                        ReplayHeaders.SHADOW, "debug-",
                        ReplayHeaders.FROM, "realtime.events:0:0"))
                .build();
        topics.add("realtime.publish", "A1", WireFormat.encode(2, shadow), new RecordHeaders());
        topics.add("realtime.ledger", "e7", WireFormat.encode(3, published("e7")), new RecordHeaders());
        DeliveryReceipt shadowDelivered =
                receipt("e7", "PUBLISHED", List.of("private-debug-audit-A1", "private-debug-fiche-F1"), 1);
        shadowDelivered.setSettledAt(COMMITTED.plusSeconds(60));
        topics.add("realtime.ledger", "e7", WireFormat.encode(3, shadowDelivered), new RecordHeaders());

        JourneyFinder.Result result = finder.find(TraceQuery.event("e7", null), topics);

        Journey journey = result.journeys().get(0);
        assertThat(journey.accepted()).containsExactly("private-audit-A1", "private-fiche-F1");
        assertThat(JourneyReport.lines(journey))
                .containsExactly(
                        "event e7  audit.step_completed  aggregate A1",
                        "  committed   2026-12-03T10:00:00Z",
                        "  relayed     realtime.events 0@0 at 2026-12-03T10:00:01Z",
                        "  replay      shadow replay R1 (prefix debug-) to private-debug-audit-A1,"
                                + " private-debug-fiche-F1, not the users' channels  (realtime.publish 0@1 at"
                                + " 2026-12-03T10:00:01Z)",
                        "  router      routed by rule 'audits' to private-audit-A1, private-fiche-F1  (realtime.publish"
                                + " 0@0 at 2026-12-03T10:00:01Z)",
                        "  publisher   Pusher accepted it on private-audit-A1, private-fiche-F1 at"
                                + " 2026-12-03T10:00:00.640Z (640 ms after commit), 1 attempt(s), HTTP 200",
                        "  publisher   shadow replay delivered to private-debug-audit-A1, private-debug-fiche-F1 at"
                                + " 2026-12-03T10:01:00Z (60000 ms after commit), 1 attempt(s), HTTP 200");
        assertThat(JourneyReport.answer(journey, null, result.ledger()))
                .startsWith("Pusher accepted it on private-audit-A1, private-fiche-F1 at 2026-12-03T10:00:00.640Z.")
                .endsWith(" A shadow replay delivered it to private-debug-audit-A1, private-debug-fiche-F1 at"
                        + " 2026-12-03T10:01:00Z (switchboard replay --shadow-prefix): not the users' channels.");
        assertThat(JourneyReport.answer(journey, "private-debug-audit-A1", result.ledger()))
                .isEqualTo("A shadow replay delivered it to private-debug-audit-A1 at 2026-12-03T10:01:00Z"
                        + " (switchboard replay --shadow-prefix): not a user's channel.");
        assertThat(JourneyReport.answer(journey, "private-audit-A1", result.ledger()))
                .startsWith("Pusher accepted it on private-audit-A1 at 2026-12-03T10:00:00.640Z.");
    }

    /** replay --redeliver gives a copy a new id: tracing the original finds the copy, and each names the other. */
    @Test
    void theOriginalsIdFindsItsRedeliveredCopies() {
        topics.add("realtime.events", "A1", WireFormat.encode(1, event("e8")), new RecordHeaders());
        topics.add("realtime.publish", "A1", WireFormat.encode(2, publish("e8")), new RecordHeaders());
        topics.add("realtime.ledger", "e8", WireFormat.encode(3, published("e8")), new RecordHeaders());
        Map<String, String> markers = Map.of(ReplayHeaders.ID, "R2", ReplayHeaders.OF, "e8");
        RealtimeEvent copy = RealtimeEvent.newBuilder(event("e8"))
                .setEventId("e8-copy")
                .setHeaders(markers)
                .build();
        RecordHeaders kafkaMarkers = new RecordHeaders();
        kafkaMarkers.add(ReplayHeaders.ID, "R2".getBytes(StandardCharsets.UTF_8));
        kafkaMarkers.add(ReplayHeaders.FROM, "realtime.events:0:0".getBytes(StandardCharsets.UTF_8));
        topics.add("realtime.events", "A1", WireFormat.encode(1, copy), kafkaMarkers);
        ChannelPublish copyRouted = ChannelPublish.newBuilder(publish("e8-copy"))
                .setHeaders(Map.of("switchboard-rule", "audits", ReplayHeaders.ID, "R2", ReplayHeaders.OF, "e8"))
                .build();
        topics.add("realtime.publish", "A1", WireFormat.encode(2, copyRouted), new RecordHeaders());
        topics.add(
                "realtime.ledger",
                "e8-copy",
                WireFormat.encode(3, receipt("e8-copy", "PUBLISHED", List.of("private-audit-A1"), 1)),
                new RecordHeaders());

        JourneyFinder.Result result = finder.find(TraceQuery.event("e8", null), topics);

        assertThat(result.journeys()).extracting(Journey::eventId).containsExactly("e8", "e8-copy");
        Journey original = result.journeys().get(0);
        Journey redelivered = result.journeys().get(1);
        assertThat(JourneyReport.replayLines(original))
                .containsExactly(
                        "redelivered as event e8-copy by replay R2 (--redeliver): its journey is told on its" + " own");
        assertThat(JourneyReport.answer(original, null, result.ledger()))
                .endsWith(" A replay redelivered it as e8-copy (--redeliver): see that journey.");
        assertThat(JourneyReport.lines(redelivered))
                .contains(
                        "  relayed     realtime.events 0@1 at 2026-12-03T10:00:01Z  (re-sent by replay R2 from"
                                + " realtime.events:0:0)",
                        "  replay      a copy of event e8 sent again with a new id by replay R2 (--redeliver)");
        assertThat(JourneyReport.answer(redelivered, null, result.ledger()))
                .startsWith("Pusher accepted it on private-audit-A1 at 2026-12-03T10:00:00.640Z.");
    }

    /**
     * With --channel C, receipts for other channels and the router's publish outside the window: the answer used to
     * be "the router has not decided yet", though Pusher had accepted the event elsewhere.
     */
    @Test
    void acceptedElsewhereWithItsRoutingOutsideTheWindowSaysSoForTheChannelAskedAbout() {
        topics.create("realtime.events");
        topics.create("realtime.publish");
        topics.add(
                "realtime.ledger",
                "e9",
                WireFormat.encode(3, receipt("e9", "PUBLISHED", List.of("private-audit-A1"), 0)),
                new RecordHeaders());

        JourneyFinder.Result result = finder.find(TraceQuery.event("e9", "private-fiche-F1"), topics);

        assertThat(JourneyReport.answer(result.journeys().get(0), "private-fiche-F1", result.ledger()))
                .isEqualTo("Pusher accepted it on private-audit-A1, not on private-fiche-F1. The router's record of"
                        + " it is outside the window, so whether it was meant for private-fiche-F1 is not known"
                        + " here: widen --from/--to (or --since) to see the channels the router chose.");
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
        return receipt(id, "PUBLISHED", List.of("private-audit-A1", "private-fiche-F1"), 0);
    }

    /** A publisher receipt about record {@code offset} of realtime.publish. */
    private static DeliveryReceipt receipt(String id, String outcome, List<String> channels, long offset) {
        return DeliveryReceipt.newBuilder()
                .setEventId(id)
                .setAggregateId("A1")
                .setType("audit.step_completed")
                .setStage("publisher")
                .setOutcome(outcome)
                .setChannels(channels)
                .setAttempts(outcome.equals("PUBLISHED") ? 1 : 0)
                .setHttpStatus(outcome.equals("PUBLISHED") ? 200 : null)
                .setCommittedAt(COMMITTED)
                .setSettledAt(COMMITTED.plusMillis(640))
                .setSourceTopic("realtime.publish")
                .setSourcePartition(0)
                .setSourceOffset(offset)
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
