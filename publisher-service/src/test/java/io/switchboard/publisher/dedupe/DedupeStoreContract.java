package io.switchboard.publisher.dedupe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What every {@link DedupeStore} does; one subclass per implementation. */
abstract class DedupeStoreContract {

    /** A store whose window is the given number of seconds. */
    protected abstract DedupeStore store(int windowSeconds);

    /** Lets the window pass (a test clock, or real waiting for Redis' expiry). */
    protected abstract void letWindowPass();

    private final String event = "evt-" + UUID.randomUUID();

    @Test
    void aNewEventIsUndeliveredOnEveryChannel() {
        assertThat(store(60).undelivered(event, List.of("private-audit-A", "private-fiche-F")))
                .containsExactly("private-audit-A", "private-fiche-F");
    }

    @Test
    void deliveredChannelsAreSkippedOthersAreNot() {
        DedupeStore store = store(60);
        store.delivered(event, List.of("private-audit-A"));
        assertThat(store.undelivered(event, List.of("private-audit-A", "private-fiche-F")))
                .containsExactly("private-fiche-F");
        assertThat(store.undelivered("other-" + event, List.of("private-audit-A")))
                .containsExactly("private-audit-A");
    }

    @Test
    void recordingTwiceIsHarmless() {
        DedupeStore store = store(60);
        store.delivered(event, List.of("c1", "c2"));
        store.delivered(event, List.of("c2"));
        assertThat(store.undelivered(event, List.of("c1", "c2", "c3"))).containsExactly("c3");
    }

    @Test
    void manyEventsAtOnceAnswerAsOneAtATime() {
        DedupeStore store = store(60);
        String other = "other-" + event;
        store.delivered(Map.of(event, List.of("c1"), other, List.of("c2", "c3")));
        Map<String, List<String>> question = new LinkedHashMap<>();
        question.put(event, List.of("c1", "c2"));
        question.put(other, List.of("c2", "c3"));
        question.put("new-" + event, List.of("c1"));
        assertThat(store.undelivered(question))
                .containsExactly(
                        Map.entry(event, List.of("c2")),
                        Map.entry(other, List.of()),
                        Map.entry("new-" + event, List.of("c1")));
        assertThat(store.undelivered(Map.of())).isEmpty();
        store.delivered(Map.of()); // nothing to write is fine
    }

    @Test
    void theWindowEnds() {
        DedupeStore store = store(1);
        store.delivered(event, List.of("c1"));
        letWindowPass();
        assertThat(store.undelivered(event, List.of("c1"))).containsExactly("c1");
    }
}
