package io.switchboard.testkit.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.GroupState;

/**
 * Watches consumer groups while a scenario runs and records their rebalances: every stretch of time a group was
 * not {@code STABLE} (as the broker's group coordinator reports it, polled every 100 ms), with how many members it
 * had before and after. A rebalance is the pause a group's consumers take while partitions move.
 */
public final class GroupWatch implements AutoCloseable {

    /** One rebalance: when it began (seconds after the watch started), how long it lasted, members before/after. */
    public record Rebalance(String group, double atSeconds, double seconds, int membersBefore, int membersAfter) {
        @Override
        public String toString() {
            return String.format(
                    "%s at %.1f s: %.1f s (%d -> %d members)", group, atSeconds, seconds, membersBefore, membersAfter);
        }
    }

    private final Admin admin;
    private final List<String> groups;
    private final long startNanos = System.nanoTime();
    private final Map<String, Long> unstableSince = new LinkedHashMap<>();
    private final Map<String, Integer> members = new LinkedHashMap<>();
    private final Map<String, Integer> membersBefore = new LinkedHashMap<>();
    private final List<Rebalance> rebalances = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    public GroupWatch(String bootstrap, List<String> groups) {
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
        this.groups = List.copyOf(groups);
        this.thread = new Thread(this::watch, "group-watch");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void watch() {
        while (running) {
            try {
                Map<String, ConsumerGroupDescription> described =
                        admin.describeConsumerGroups(groups).all().get(5, TimeUnit.SECONDS);
                long now = System.nanoTime();
                synchronized (this) {
                    for (ConsumerGroupDescription group : described.values()) {
                        note(
                                group.groupId(),
                                group.groupState(),
                                group.members().size(),
                                now);
                    }
                }
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                // the broker is busy or restarting: the next poll tells
            }
        }
    }

    private void note(String group, GroupState state, int size, long now) {
        if (state == GroupState.STABLE) {
            Long since = unstableSince.remove(group);
            if (since != null) {
                rebalances.add(new Rebalance(
                        group,
                        (since - startNanos) / 1e9,
                        (now - since) / 1e9,
                        membersBefore.getOrDefault(group, 0),
                        size));
            }
            members.put(group, size);
        } else if (!unstableSince.containsKey(group)) {
            unstableSince.put(group, now);
            membersBefore.put(group, members.getOrDefault(group, 0));
        }
    }

    /** The rebalances that ended so far, in order. */
    public synchronized List<Rebalance> rebalances() {
        return List.copyOf(rebalances);
    }

    /** The longest rebalance of a group, in seconds (0 when it had none). */
    public synchronized double longest(String group) {
        return rebalances.stream()
                .filter(r -> r.group().equals(group))
                .mapToDouble(Rebalance::seconds)
                .max()
                .orElse(0);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(Duration.ofSeconds(10).toMillis());
        admin.close(Duration.ofSeconds(5));
    }
}
