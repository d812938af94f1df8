package io.switchboard.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.relay.demo.DemoCatalog;
import io.switchboard.relay.demo.DemoFeed;
import io.switchboard.relay.demo.DemoRow;
import io.switchboard.relay.demo.DemoRow.Expectation;
import io.switchboard.relay.demo.DemoTeam;
import io.switchboard.router.guard.ProgressGuard;
import io.switchboard.router.routing.ChannelRouter;
import io.switchboard.router.routing.EventRouter;
import io.switchboard.router.routing.RoutingTable;
import io.switchboard.router.truncation.PayloadTruncator;
import io.switchboard.schemas.RealtimeEvent;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The demo of {@code ./switchboard dev} through the router's own code with the default rules (contracts section 3):
 * every demo row reaches at least one valid channel, the oversize rows are truncated and the regressing ones dropped
 * (and nothing else), and the channels the launcher subscribes to (demo/frontends.json) are exactly the channels the
 * demo reaches, team by team, so the dev console shows all five teams and misses none of their channels.
 */
class DemoRoutingTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int LIMIT = 9000;

    /** Enough rows for every team to go through its cycle of channel ids and through anomaly runs, twice. */
    private static final int ROWS = 600;

    private record Routed(DemoRow row, EventRouter.Outcome outcome) {}

    private static List<Routed> routed;
    private static JsonNode frontends;

    @BeforeAll
    static void routeTheDemoInWritingOrder() throws Exception {
        // one guard for the whole feed, as the router guards the events in the order the relay writes them
        EventRouter router = new EventRouter(
                new ChannelRouter(RoutingTable.defaults(true), true),
                new PayloadTruncator(LIMIT),
                ProgressGuard.inMemory(10_000),
                Clock.systemUTC());
        DemoFeed feed = new DemoFeed(DemoCatalog.load().teams(), 2, LIMIT, "test");
        routed = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            DemoRow row = feed.next(Instant.parse("2026-02-27T10:00:00Z").plusSeconds(i));
            routed.add(new Routed(row, router.route(event(row, i))));
        }
        try (InputStream in = DemoCatalog.class.getClassLoader().getResourceAsStream(DemoCatalog.FRONTENDS)) {
            assertThat(in).as(DemoCatalog.FRONTENDS).isNotNull();
            frontends = JSON.readTree(in);
        }
    }

    @Test
    void everyDemoRowIsRoutedToAtLeastOneValidChannelOrDroppedOnPurpose() {
        for (Routed r : routed) {
            if (r.row().expectation() == Expectation.DROPPED) {
                assertThat(r.outcome())
                        .as(
                                "%s of seed %s run %d",
                                r.row().type(), r.row().seed(), r.row().run())
                        .isInstanceOfSatisfying(
                                EventRouter.Dropped.class,
                                d -> assertThat(d.reason()).isEqualTo(EventRouter.PROGRESS_REGRESSED));
            } else {
                assertThat(r.outcome())
                        .as(
                                "%s of seed %s run %d",
                                r.row().type(), r.row().seed(), r.row().run())
                        .isInstanceOfSatisfying(EventRouter.Routed.class, routed -> {
                            assertThat(routed.publish().getChannels()).isNotEmpty();
                            assertThat(routed.truncation().truncated())
                                    .isEqualTo(r.row().expectation() == Expectation.TRUNCATED);
                            assertThat(routed.truncation().bytes()).isLessThanOrEqualTo(LIMIT);
                        });
            }
        }
    }

    @Test
    void theFeedShowsEveryBehaviourTruncatedDroppedAndDelivered() {
        assertThat(routed).extracting(r -> r.row().expectation()).contains(Expectation.values());
        assertThat(routed)
                .filteredOn(r -> r.row().expectation() == Expectation.TRUNCATED)
                .allSatisfy(r -> {
                    JsonNode data = JSON.readTree(
                            ((EventRouter.Routed) r.outcome()).publish().getData());
                    assertThat(data.get("_truncated").asBoolean()).isTrue();
                    assertThat(data.get("document_id").asInt()).isPositive(); // the id survives, to refetch
                });
    }

    @Test
    void eachTeamsEventsFollowTheRuleMadeFromItsSeed() {
        Map<String, Set<String>> rules = new TreeMap<>();
        for (Routed r : routed) {
            rules.computeIfAbsent(r.row().seed(), s -> new TreeSet<>())
                    .add(r.outcome().rule());
        }
        assertThat(rules)
                .containsEntry("000", Set.of("org-runs"))
                .containsEntry("001", Set.of("documents", "rewrites"))
                .containsEntry("002", Set.of("transcriptions", "audits", "global-broadcasts", "progressive-fetch"))
                .containsEntry("003", Set.of("job-status"))
                .containsEntry("004", Set.of("explicit"));
    }

    @Test
    void theLauncherSubscribesToExactlyTheChannelsEachTeamsEventsReach() {
        Map<String, Set<String>> reached = new TreeMap<>();
        for (Routed r : routed) {
            if (r.outcome() instanceof EventRouter.Routed ok) {
                reached.computeIfAbsent(r.row().seed(), s -> new LinkedHashSet<>())
                        .addAll(ok.publish().getChannels());
            }
        }
        Map<String, Set<String>> listed = new TreeMap<>();
        frontends.properties().forEach(team -> {
            Set<String> channels = new LinkedHashSet<>();
            team.getValue().get("channels").forEach(c -> channels.add(c.asString()));
            listed.put(team.getKey(), channels);
        });
        // on a mismatch, the message shows the lists to copy into demo/frontends.json
        assertThat(listed).as(DemoCatalog.FRONTENDS).isEqualTo(reached);
    }

    @Test
    void theFrontendsFileLabelsEveryTeamAsTheScenariosDo() {
        Map<String, String> labels = new LinkedHashMap<>();
        for (DemoTeam team : DemoCatalog.load().teams()) {
            labels.put(team.seed(), team.label());
        }
        Map<String, String> listed = new LinkedHashMap<>();
        frontends
                .properties()
                .forEach(team ->
                        listed.put(team.getKey(), team.getValue().get("label").asString()));
        assertThat(listed).containsExactlyEntriesOf(labels);
    }

    private static RealtimeEvent event(DemoRow row, int i) {
        return RealtimeEvent.newBuilder()
                .setEventId("demo-" + i)
                .setType(row.type())
                .setOccurredAt(Instant.parse("2026-02-27T10:00:00Z"))
                .setSource(row.source())
                .setAggregateType(row.aggregateType())
                .setAggregateId(row.aggregateId())
                .setPayload(row.payload())
                .setChannels(row.channels())
                .setSocketId(null)
                .setHeaders(Map.of())
                .build();
    }
}
