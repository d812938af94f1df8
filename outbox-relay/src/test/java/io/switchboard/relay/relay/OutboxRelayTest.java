package io.switchboard.relay.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.relay.outbox.OutboxRow;
import io.switchboard.relay.outbox.OutboxSource;
import io.switchboard.schemas.RealtimeEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class OutboxRelayTest {

    /** An outbox in memory, oldest first. */
    static class InMemoryOutbox implements OutboxSource {
        final List<OutboxRow> rows = new ArrayList<>();
        /** Rows whose transaction is still open: a read does not see them yet. */
        final Set<Long> uncommitted = new HashSet<>();

        @Override
        public List<OutboxRow> fetch(Set<Long> skip, int limit) {
            return rows.stream()
                    .filter(r -> !skip.contains(r.id()) && !uncommitted.contains(r.id()))
                    .sorted(java.util.Comparator.comparingLong(OutboxRow::id))
                    .limit(limit)
                    .toList();
        }

        @Override
        public void delete(List<Long> ids) {
            rows.removeIf(r -> ids.contains(r.id()));
        }
    }

    /** A sink whose acknowledgements the test completes or fails. */
    static final class ManualSink implements EventSink {
        final List<RealtimeEvent> published = new ArrayList<>();
        final List<OutboxRow> deadLettered = new ArrayList<>();
        final List<DeadLetter> letters = new ArrayList<>();
        final List<CompletableFuture<Void>> acks = new ArrayList<>();
        boolean failNext;
        boolean manual;
        /** Events of rows with these ids are refused for good, at once or (async) through their future. */
        final Set<Long> tooLarge = new HashSet<>();

        final Set<Long> refusedLater = new HashSet<>();
        /** Dead letters refused for good: all of them, or only the full ones. */
        boolean refuseDeadLetters;

        boolean refuseFullDeadLetters;

        @Override
        public CompletableFuture<?> publish(OutboxRow row, RealtimeEvent event) {
            if (tooLarge.contains(row.id())) {
                throw new BadRowException(BadRowException.Reason.ROW_TOO_LARGE, "row " + row.id() + " too large");
            }
            published.add(event);
            if (refusedLater.contains(row.id())) {
                return CompletableFuture.failedFuture(
                        new BadRowException(BadRowException.Reason.ROW_TOO_LARGE, "Kafka refused row " + row.id()));
            }
            return ack();
        }

        @Override
        public CompletableFuture<?> deadLetter(DeadLetter letter) {
            if (refuseDeadLetters || refuseFullDeadLetters && !letter.metadataOnly()) {
                return CompletableFuture.failedFuture(
                        new BadRowException(BadRowException.Reason.ROW_TOO_LARGE, "dead letter refused"));
            }
            deadLettered.add(letter.row());
            letters.add(letter);
            return ack();
        }

        private CompletableFuture<Void> ack() {
            CompletableFuture<Void> ack = manual
                    ? new CompletableFuture<>()
                    : failNext
                            ? CompletableFuture.failedFuture(new IllegalStateException("broker unavailable"))
                            : CompletableFuture.completedFuture(null);
            failNext = false;
            acks.add(ack);
            return ack;
        }
    }

    private final InMemoryOutbox outbox = new InMemoryOutbox();
    private final ManualSink sink = new ManualSink();
    /** What the relay reported: rows counted as published and dead-lettered. */
    static final class Recorder implements RelayListener {
        final List<Long> published = new ArrayList<>();
        final List<DeadLetter> deadLettered = new ArrayList<>();

        @Override
        public void published(OutboxRow row) {
            published.add(row.id());
        }

        @Override
        public void deadLettered(DeadLetter letter) {
            deadLettered.add(letter);
        }
    }

    private final Recorder recorder = new Recorder();
    private final OutboxRelay relay = new OutboxRelay(
            outbox,
            new OutboxEventMapper("test", 70_000),
            sink,
            recorder,
            2,
            4,
            Duration.ofSeconds(1),
            java.time.Clock.systemUTC());

    private void add(long id, String type, String payload) {
        outbox.rows.add(
                new OutboxRow(id, "e" + id, type, "svc", "audit", "A", payload, null, null, null, Instant.EPOCH));
    }

    /**
     * Regression: the relay kept a cursor (the highest id sent) while batches were in flight, so a row that committed
     * after rows with higher ids was passed and published after its aggregate's next row (CI saw ...55, 57...78, 56).
     */
    @Test
    void aRowThatCommitsLateIsSentBeforeTheRowsItsWriterInsertedAfterIt() throws Exception {
        sink.manual = true; // batches stay in flight, as under load
        add(1, "audit.progress", "{\"audit_id\":\"X\",\"completed_steps\":0}"); // X's first row, still uncommitted
        outbox.uncommitted.add(1L);
        add(2, "audit.progress", "{\"audit_id\":\"Y\"}");
        add(3, "audit.progress", "{\"audit_id\":\"Y\"}");
        relay.step(); // sends 2 and 3; 1 is not visible yet

        outbox.uncommitted.clear(); // X's first row commits
        add(4, "audit.progress", "{\"audit_id\":\"X\",\"completed_steps\":1}"); // then its writer writes the next
        relay.step();
        relay.step();

        assertThat(sink.published).extracting(RealtimeEvent::getEventId).containsExactly("e2", "e3", "e1", "e4");
    }

    @Test
    void publishesInIdOrderAndDeletesOnlyWhatWasAcknowledged() throws Exception {
        add(1, "audit.started", "{\"audit_id\":\"A\"}");
        add(2, "audit.progress", "{\"audit_id\":\"A\"}");
        add(3, "audit.completed", "{\"audit_id\":\"A\"}");

        assertThat(relay.step())
                .extracting(OutboxRelay.Step::read, OutboxRelay.Step::published)
                .containsExactly(2, 2);
        assertThat(outbox.rows).extracting(OutboxRow::id).containsExactly(3L);
        assertThat(relay.step())
                .extracting(OutboxRelay.Step::read, OutboxRelay.Step::published)
                .containsExactly(1, 1);
        assertThat(sink.published).extracting(RealtimeEvent::getEventId).containsExactly("e1", "e2", "e3");
        assertThat(outbox.rows).isEmpty();
    }

    @Test
    void aFailedAcknowledgementDeletesNothingSoTheBatchIsReadAgain() throws Exception {
        add(1, "audit.started", "{}");
        add(2, "audit.progress", "{}");
        sink.failNext = true;

        assertThatThrownBy(relay::step).isInstanceOf(ExecutionException.class);
        assertThat(outbox.rows).extracting(OutboxRow::id).containsExactly(1L, 2L);

        relay.step();
        assertThat(outbox.rows).isEmpty();
        assertThat(sink.published)
                .as("at-least-once: the batch was sent again")
                .extracting(RealtimeEvent::getEventId)
                .containsExactly("e1", "e2", "e1", "e2");
    }

    @Test
    void badRowsAreDeadLetteredAndDeletedWhileGoodRowsFlow() throws Exception {
        add(1, "audit.started", "[\"not an object\"]");
        add(2, "audit.progress", "{\"audit_id\":\"A\"}");

        assertThat(relay.step())
                .extracting(OutboxRelay.Step::read, OutboxRelay.Step::published, OutboxRelay.Step::deadLettered)
                .containsExactly(2, 1, 1);
        assertThat(sink.deadLettered).extracting(OutboxRow::id).containsExactly(1L);
        assertThat(sink.published).extracting(RealtimeEvent::getEventId).containsExactly("e2");
        assertThat(outbox.rows).isEmpty();
    }

    @Test
    void newRowsAreSentWhileEarlierBatchesAwaitTheirAcknowledgementsAndDeletedOldestFirst() throws Exception {
        sink.manual = true;
        for (long id = 1; id <= 4; id++) {
            add(id, "audit.progress", "{\"n\":" + id + "}");
        }
        assertThat(relay.step().read()).isEqualTo(2);
        assertThat(relay.step().read())
                .as("rows 3 and 4 go out without waiting for 1 and 2")
                .isEqualTo(2);
        assertThat(sink.published).extracting(RealtimeEvent::getEventId).containsExactly("e1", "e2", "e3", "e4");

        sink.acks.get(2).complete(null);
        sink.acks.get(3).complete(null);
        assertThat(relay.step().published())
                .as("the second batch waits for the first")
                .isZero();
        assertThat(outbox.rows).hasSize(4);

        sink.acks.get(0).complete(null);
        sink.acks.get(1).complete(null);
        OutboxRelay.Step step = relay.step();
        assertThat(step.published()).isEqualTo(4);
        assertThat(outbox.rows).isEmpty();
        assertThat(relay.hasInFlight()).isFalse();
    }

    @Test
    void aFailureForgetsEverythingInFlightAndReadsFromTheStartAgain() throws Exception {
        sink.manual = true;
        for (long id = 1; id <= 4; id++) {
            add(id, "audit.progress", "{}");
        }
        relay.step();
        relay.step();
        sink.acks.get(0).completeExceptionally(new IllegalStateException("broker unavailable"));
        sink.acks.get(1).complete(null); // a batch is done once all its writes are
        assertThatThrownBy(relay::step).isInstanceOf(ExecutionException.class);
        assertThat(outbox.rows).hasSize(4);
        sink.manual = false;
        relay.step();
        assertThat(sink.published)
                .extracting(RealtimeEvent::getEventId)
                .as("the first batch again, from the start")
                .containsExactly("e1", "e2", "e3", "e4", "e1", "e2");
    }

    @Test
    void oversizeRowIsDeadLetteredAndRowsBehindItFlow() throws Exception {
        add(1, "audit.progress", "{\"n\":1}");
        add(2, "audit.progress", "{\"n\":2}");
        add(3, "audit.progress", "{\"n\":3}");
        sink.tooLarge.add(2L); // the sink measured the serialized record: over the limit

        relay.step();
        relay.step();
        assertThat(sink.published).extracting(RealtimeEvent::getEventId).containsExactly("e1", "e3");
        assertThat(sink.letters)
                .singleElement()
                .satisfies(l -> assertThat(l.reason()).isEqualTo(BadRowException.Reason.ROW_TOO_LARGE))
                .satisfies(l -> assertThat(l.row().id()).isEqualTo(2L));
        assertThat(outbox.rows).isEmpty();
    }

    @Test
    void aRecordKafkaRefusesForGoodIsDeadLetteredNotRetriedForever() throws Exception {
        add(1, "audit.progress", "{\"n\":1}");
        add(2, "audit.progress", "{\"n\":2}");
        add(3, "audit.progress", "{\"n\":3}");
        sink.refusedLater.add(1L); // the broker answered RecordTooLargeException

        relay.step();
        relay.step();
        assertThat(sink.letters)
                .singleElement()
                .satisfies(l -> assertThat(l.row().id()).isEqualTo(1L))
                .satisfies(l -> assertThat(l.text()).contains("Kafka refused row 1"));
        assertThat(recorder.published).containsExactly(2L, 3L);
        assertThat(outbox.rows).isEmpty();
    }

    /**
     * Regression (issue 15, "logs carry the trace id and event id"): the relay's dead-letter line was written after
     * the row's span ended and carried no trace id, unlike the router's and the publisher's.
     */
    @Test
    void theRelaysDeadLetterLineCarriesTheRowsTraceId() throws Exception {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        outbox.rows.add(new OutboxRow(
                1,
                "e1",
                "audit.progress",
                "svc",
                "audit",
                "A",
                "[\"not an object\"]",
                null,
                null,
                null,
                Instant.EPOCH,
                "00-" + traceId + "-00f067aa0ba902b7-01"));
        ch.qos.logback.classic.Logger logger =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(OutboxRelay.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender =
                new ch.qos.logback.core.read.ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            relay.step();
        } finally {
            logger.detachAppender(appender);
        }
        assertThat(appender.list)
                .filteredOn(e -> e.getFormattedMessage().contains("dead-lettered"))
                .singleElement()
                .satisfies(e -> assertThat(e.getFormattedMessage()).contains("event e1"))
                .satisfies(e -> assertThat(e.getMDCPropertyMap()).containsEntry("traceId", traceId));
        assertThat(org.slf4j.MDC.get("traceId")).as("the MDC is left as it was").isNull();
    }

    @Test
    void aDeadLetterKafkaRefusesIsReplacedByAMetadataOnlyOne() throws Exception {
        add(1, "audit.progress", "[\"not an object\"]");
        add(2, "audit.progress", "{}");
        sink.refuseFullDeadLetters = true;

        relay.step();
        assertThat(sink.letters)
                .singleElement()
                .satisfies(l -> assertThat(l.metadataOnly()).isTrue())
                .satisfies(l -> assertThat(l.reason()).isEqualTo(BadRowException.Reason.PAYLOAD_NOT_OBJECT))
                .satisfies(l -> assertThat(l.text()).contains("Kafka refused the dead letter itself"));
        assertThat(recorder.deadLettered).hasSize(1);
        assertThat(outbox.rows).isEmpty();
    }

    @Test
    void whenKafkaRefusesEvenTheMetadataOnlyDeadLetterTheStepFailsAndTheRowStays() throws Exception {
        add(1, "audit.progress", "[\"not an object\"]");
        add(2, "audit.progress", "{}");
        sink.refuseDeadLetters = true;

        assertThatThrownBy(relay::step).isInstanceOf(ExecutionException.class);
        assertThat(outbox.rows).extracting(OutboxRow::id).containsExactly(1L, 2L);
        assertThat(recorder.deadLettered).isEmpty();
    }

    @Test
    void deadLettersAreCountedOnlyOnceKafkaAcknowledgedThem() throws Exception {
        sink.manual = true;
        add(1, "audit.progress", "[\"not an object\"]");
        relay.step();
        assertThat(sink.deadLettered).hasSize(1);
        assertThat(recorder.deadLettered).as("sent, not acknowledged").isEmpty();

        sink.acks.get(0).completeExceptionally(new IllegalStateException("broker unavailable"));
        assertThatThrownBy(relay::step).isInstanceOf(ExecutionException.class);
        assertThat(recorder.deadLettered)
                .as("a failed write is not a dead letter")
                .isEmpty();
        assertThat(outbox.rows).hasSize(1);

        relay.step(); // sent again
        sink.acks.get(1).complete(null);
        relay.step();
        assertThat(recorder.deadLettered).hasSize(1);
        assertThat(outbox.rows).isEmpty();
    }

    @Test
    void theDrainRetiresWhatKafkaAcknowledgesAfterTheLastStep() throws Exception {
        sink.manual = true;
        add(1, "audit.progress", "{}");
        add(2, "audit.progress", "{}");
        relay.step();
        sink.acks.forEach(a -> a.complete(null));
        relay.drain();
        assertThat(outbox.rows).isEmpty();
        assertThat(recorder.published).containsExactly(1L, 2L);
    }
}
