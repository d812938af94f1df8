package io.switchboard.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ConsoleStateTest {

    private final ConsoleState state =
            new ConsoleState(10, Clock.fixed(Instant.parse("2026-12-03T10:00:30Z"), ZoneOffset.UTC));

    @Test
    void aPageGetsOnlyWhatIsNewAfterItsCursorFromEitherList() {
        state.published(FeedRows.published(Records.published("e1", 100, "private-org.1")));
        ConsoleState.Feed first = state.after(0);
        state.notPublished(FeedRows.dropped(Records.receipt("e2", "DROPPED", "PROGRESS_REGRESSED", "-", 1)));
        state.published(FeedRows.published(Records.published("e3", 100, "private-org.1")));

        ConsoleState.Feed next = state.after(first.cursor());

        assertThat(first.events()).extracting(PublishedEvent::eventId).containsExactly("e1");
        assertThat(next.events()).extracting(PublishedEvent::eventId).containsExactly("e3");
        assertThat(next.notPublished()).extracting(NotPublished::eventId).containsExactly("e2");
        assertThat(state.after(next.cursor()).events()).isEmpty();
    }

    @Test
    void theDataOfAnEventIsJoinedWhicheverRecordCameFirst() {
        state.published(FeedRows.published(Records.published("late", 100, "private-org.1")));
        state.routed("late", new PublishedEvent.Data(120, false, 120, "qa"));

        assertThat(state.after(0).events())
                .singleElement()
                .satisfies(e -> assertThat(e.bytes()).isEqualTo(120));
    }

    @Test
    void aCursorFromBeforeARestartOfTheGatewayGetsEverythingKept() {
        state.published(FeedRows.published(Records.published("e1", 100, "private-org.1")));

        assertThat(state.after(9_999).events())
                .extracting(PublishedEvent::eventId)
                .containsExactly("e1");
    }
}
