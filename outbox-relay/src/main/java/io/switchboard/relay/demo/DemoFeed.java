package io.switchboard.relay.demo;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The demo's rows in writing order: the teams take turns, one row each, and each team goes through its runs one
 * after another. Every {@code anomalyEvery}'th run of a team is an anomaly run (its rows marked {@code runs:
 * anomaly} come in: an oversize payload, a regressing progress). Not thread-safe: one scheduler thread owns it.
 */
public final class DemoFeed {

    private final List<DemoTeam> teams;
    private final int anomalyEvery;
    private final int payloadLimit;
    private final int[] runs;
    private final List<Deque<DemoTeam.Pending>> queues;
    private int turn;

    /**
     * @param anomalyEvery every how many runs of a team an anomaly run comes; 0 for never
     * @param payloadLimit the router's payload limit in bytes: an oversize row grows past it by half
     */
    public DemoFeed(List<DemoTeam> teams, int anomalyEvery, int payloadLimit) {
        if (teams.isEmpty()) {
            throw new IllegalArgumentException("no teams");
        }
        if (anomalyEvery < 0) {
            throw new IllegalArgumentException("anomalyEvery must be 0 (never) or more, was " + anomalyEvery);
        }
        this.teams = List.copyOf(teams);
        this.anomalyEvery = anomalyEvery;
        this.payloadLimit = payloadLimit;
        this.runs = new int[teams.size()];
        this.queues = teams.stream()
                .map(t -> (Deque<DemoTeam.Pending>) new ArrayDeque<DemoTeam.Pending>())
                .toList();
    }

    /** True when run {@code run} of a team (from 1) is an anomaly run. */
    public boolean anomalyRun(int run) {
        return anomalyEvery > 0 && run % anomalyEvery == 0;
    }

    /** The next row, rendered at {@code now}. */
    public DemoRow next(Instant now) {
        int team = turn;
        turn = (turn + 1) % teams.size();
        Deque<DemoTeam.Pending> queue = queues.get(team);
        if (queue.isEmpty()) {
            int run = ++runs[team];
            queue.addAll(teams.get(team).run(run, anomalyRun(run))); // never empty: DemoCatalog checks it
        }
        return queue.removeFirst().render(now, payloadLimit);
    }
}
