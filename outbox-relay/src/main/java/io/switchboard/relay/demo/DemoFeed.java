package io.switchboard.relay.demo;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The demo's rows in writing order: the teams take turns, one row each, in rounds (a team with {@code every: N}
 * takes part in every Nth round only, the first included), and each team goes through its runs one after another. Every {@code anomalyEvery}'th run of a team is an anomaly run (its rows marked {@code runs:
 * anomaly} come in: an oversize payload, a regressing progress). Not thread-safe: one scheduler thread owns it.
 */
public final class DemoFeed {

    private final List<DemoTeam> teams;
    private final int anomalyEvery;
    private final int payloadLimit;
    private final String launch;
    private final int[] runs;
    private final List<Deque<DemoTeam.Pending>> queues;
    private int turn;
    private long round;

    /**
     * @param anomalyEvery every how many runs of a team an anomaly run comes; 0 for never
     * @param payloadLimit the router's payload limit in bytes: an oversize row grows past it by half
     * @param launch names this start of the relay; the data puts it in aggregate ids, so that the router's progress
     *     guard never takes a run of this start for one that an earlier start left unfinished (rows it wrote while
     *     the relay was stopping are relayed at the next start, and a guard in Redis outlives the router)
     */
    public DemoFeed(List<DemoTeam> teams, int anomalyEvery, int payloadLimit, String launch) {
        if (teams.isEmpty()) {
            throw new IllegalArgumentException("no teams");
        }
        if (anomalyEvery < 0) {
            throw new IllegalArgumentException("anomalyEvery must be 0 (never) or more, was " + anomalyEvery);
        }
        this.teams = List.copyOf(teams);
        this.anomalyEvery = anomalyEvery;
        this.payloadLimit = payloadLimit;
        this.launch = launch;
        this.runs = new int[teams.size()];
        this.queues = teams.stream()
                .map(t -> (Deque<DemoTeam.Pending>) new ArrayDeque<DemoTeam.Pending>())
                .toList();
    }

    /** The next team whose turn it is; every team is in round 0, so the loop ends within the largest every. */
    private int nextTeam() {
        while (true) {
            int team = turn;
            long inRound = round;
            turn++;
            if (turn == teams.size()) {
                turn = 0;
                round++;
            }
            if (inRound % teams.get(team).every() == 0) {
                return team;
            }
        }
    }

    /** True when run {@code run} of a team (from 1) is an anomaly run. */
    public boolean anomalyRun(int run) {
        return anomalyEvery > 0 && run % anomalyEvery == 0;
    }

    /** The next row, rendered at {@code now}. */
    public DemoRow next(Instant now) {
        int team = nextTeam();
        Deque<DemoTeam.Pending> queue = queues.get(team);
        if (queue.isEmpty()) {
            int run = ++runs[team];
            queue.addAll(teams.get(team).run(run, anomalyRun(run), launch)); // never empty: DemoCatalog checks it
        }
        return queue.removeFirst().render(now, payloadLimit);
    }
}
