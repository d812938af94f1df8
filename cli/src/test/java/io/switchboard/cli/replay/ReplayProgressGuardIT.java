package io.switchboard.cli.replay;

import static io.switchboard.cli.replay.ReplayFixtures.KAFKA;
import static io.switchboard.cli.replay.ReplayFixtures.createTopics;
import static io.switchboard.cli.replay.ReplayFixtures.encode;
import static io.switchboard.cli.replay.ReplayFixtures.event;
import static io.switchboard.cli.replay.ReplayFixtures.readAll;
import static io.switchboard.cli.replay.ReplayFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.cli.replay.ReplayFixtures.Run;
import io.switchboard.schemas.ChannelPublish;
import io.switchboard.schemas.RealtimeEvent;
import io.switchboard.schemas.wire.PinnedSchemaRegistry;
import io.switchboard.schemas.wire.WireFormat;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The progress guard in {@code replay}: progress that goes backwards within the selection is shown as the router
 * drops it, and a shadow replay does not publish it; a re-injection sends it, for the real router to decide.
 *
 * <p>Regression (issue 15 review): the dry run routed every event with a guard that admitted everything, so a
 * regressing {@code qa.run.progress} was shown as routed and {@code --shadow-prefix} published it to the shadow
 * channels, although the running router drops it.
 */
class ReplayProgressGuardIT {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String EVENTS = "it-" + RUN + ".guard.realtime.events";
    private static final Instant BASE = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MINUTES);

    /** Seed 001's qa.run.progress, at {@code percent}. */
    private static String qaRun(int runId, int percent) {
        return "{\"type\":\"qa.run.progress\",\"ts\":\"2026-02-27T10:00:00Z\",\"org_id\":1,\"actor_id\":10,"
                + "\"qa_run_id\":" + runId + ",\"status\":\"running\",\"stage\":\"render\",\"percent\":" + percent
                + ",\"message\":\"Rendering density heatmap\",\"meta\":{\"queue\":\"render\"}}";
    }

    @BeforeAll
    static void writeEvents() {
        createTopics(1, EVENTS);
        put("p50", "run-7", qaRun(7, 50), 0);
        put("p30", "run-7", qaRun(7, 30), 1); // backwards: the router drops it
        put("other", "run-8", qaRun(8, 20), 2); // another run: its own progress
    }

    private static void put(String id, String key, String payload, int minutes) {
        RealtimeEvent event = event(id, "qa.run.progress", key, payload);
        write(EVENTS, 0, BASE.plus(minutes, ChronoUnit.MINUTES), key, encode(EVENTS, event));
    }

    private static Run replay(String... args) {
        List<String> all = new ArrayList<>(List.of("replay", "--bootstrap-servers=" + KAFKA, "--topic=" + EVENTS));
        all.addAll(List.of(args));
        return ReplayFixtures.execute(all.toArray(String[]::new));
    }

    private static String newTopic(String name) {
        String topic = "it-" + RUN + "." + name;
        createTopics(1, topic);
        return topic;
    }

    @Test
    void aDryRunShowsProgressThatWentBackwardsAsDroppedByTheGuard() {
        Run people = replay();
        assertThat(people.exit()).as(people.err()).isZero();
        assertThat(people.out())
                .contains("qa.run.progress  p50  key=run-7  -> private-org.1 (rule org-runs)")
                .contains("qa.run.progress  p30  key=run-7  dropped: PROGRESS_REGRESSED: progress of run-7 went"
                        + " backwards for qa.run.progress")
                .contains("qa.run.progress  other  key=run-8  -> private-org.1 (rule org-runs)")
                .contains("dry run: 3 events selected in " + EVENTS);

        Map<String, JsonNode> byId = new HashMap<>();
        replay("--json")
                .json()
                .forEach(l -> byId.put(l.get("value").get("event_id").asString(), l));
        JsonNode dropped = byId.get("p30").get("routing");
        assertThat(dropped.get("rule").asString()).isEqualTo("org-runs");
        assertThat(dropped.get("dropped").asString()).startsWith("PROGRESS_REGRESSED: progress of run-7");
        assertThat(dropped.has("channels")).isFalse();
        assertThat(byId.get("p50").get("routing").has("dropped")).isFalse();
    }

    @Test
    void aShadowReplayDoesNotPublishWhatTheGuardDrops() {
        String shadow = newTopic("guard.shadow.publish");
        Run run = replay("--shadow-prefix=debug-", "--publish-topic=" + shadow, "--yes");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("skipped " + EVENTS + ":0:1 qa.run.progress p30: dropped: PROGRESS_REGRESSED")
                .contains("replayed 2 events from " + EVENTS)
                .contains("1 dropped by the progress guard skipped");

        List<ChannelPublish> published = readAll(shadow).stream()
                .map(r -> WireFormat.<ChannelPublish>decode(
                        r.value(), PinnedSchemaRegistry.instance(), ChannelPublish.getClassSchema()))
                .toList();
        assertThat(published).extracting(ChannelPublish::getEventId).containsExactly("p50", "other");
        assertThat(published).flatExtracting(ChannelPublish::getChannels).containsOnly("private-debug-org.1");
        assertThat(published.get(0).getHeaders()).containsEntry(ReplayCommand.REPLAY_SHADOW, "debug-");
    }

    @Test
    void aReinjectionSendsEveryEventForTheRealRouterToDecide() {
        String target = newTopic("guard.reinjected");
        Run run = replay("--to-topic=" + target, "--yes");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("replayed 3 events from " + EVENTS + " at any time to " + target);
        assertThat(readAll(target)).hasSize(3);
    }
}
