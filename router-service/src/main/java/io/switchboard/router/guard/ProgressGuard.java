package io.switchboard.router.guard;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Progress never goes backwards (contracts section 5). Within one run of one entity (the aggregate id, the Kafka
 * key) and event family ({@link ProgressRule}), an event whose progress is lower than the last one admitted is
 * dropped; an event that ends the run always passes and forgets the run's progress, so the next run starts from
 * zero whichever type of the family carries it.
 *
 * <p>The guard works a poll at a time ({@link #poll()}): a poll reads what the {@link ProgressStore} holds for its
 * runs, admits or drops each record in order on top of that, and saves the changes of the records before a given
 * index only once their outputs are durable ({@link Poll#save}). A record whose output never became durable changes
 * nothing, so it passes the guard again when it is consumed again.
 *
 * <p>When the store fails (Redis down), the guard admits every event rather than stall the pipeline, counts the
 * failure through {@code onStoreFailure} and logs it: a repeated progress costs a redraw, a stall costs every user
 * their updates.
 */
public final class ProgressGuard {

    private static final Logger log = LoggerFactory.getLogger(ProgressGuard.class);

    private final ProgressStore store;
    private final Consumer<RuntimeException> onStoreFailure;
    private volatile boolean storeFailing;

    public ProgressGuard(ProgressStore store, Consumer<RuntimeException> onStoreFailure) {
        this.store = store;
        this.onStoreFailure = onStoreFailure;
    }

    /** A guard over an in-memory store of {@code capacity} runs, for tools and tests. */
    public static ProgressGuard inMemory(int capacity) {
        return new ProgressGuard(new InMemoryProgressStore(capacity), e -> {});
    }

    public ProgressStore store() {
        return store;
    }

    /** Decides records of one poll, in order. */
    public Poll poll() {
        return new Poll();
    }

    /** The store's key of a run: unambiguous whatever the entity and type contain. */
    static String key(String entity, String family) {
        return family.length() + ":" + family + ":" + entity;
    }

    /** One poll's decisions. Not thread-safe: one consumer thread owns it. */
    public final class Poll {
        private record Pending(int index, int partition, String key, ProgressStore.Change change) {}

        /** What this poll knows of each (partition, key): the store's value overlaid with what it admitted. */
        private final Map<Integer, Map<String, Double>> view = new HashMap<>();

        private final List<Pending> pending = new ArrayList<>();
        private final Map<Integer, Set<String>> expected = new HashMap<>();

        private Poll() {}

        /** Notes a record to come, so that {@link #preload()} reads its run with the others. */
        public void expect(int partition, String entity, String type) {
            if (entity != null && type != null) {
                expected.computeIfAbsent(partition, p -> new LinkedHashSet<>())
                        .add(key(entity, ProgressRule.family(type)));
            }
        }

        /** Reads the runs of the expected records, one call per partition, before the records are judged. */
        public void preload() {
            expected.forEach(this::load);
            expected.clear();
        }

        /**
         * True when record {@code index} may be routed. Without an entity there is nothing to compare, and the
         * event passes.
         */
        public boolean admit(int index, int partition, String entity, String type, JsonNode payload) {
            if (entity == null) {
                return true;
            }
            String key = key(entity, ProgressRule.family(type));
            Map<String, Double> known = view.computeIfAbsent(partition, p -> new HashMap<>());
            if (ProgressRule.endsRun(type, payload)) {
                known.put(key, null);
                pending.add(new Pending(index, partition, key, new ProgressStore.Forget()));
                return true;
            }
            Double progress = ProgressRule.progress(payload);
            if (progress == null) {
                return true;
            }
            if (!known.containsKey(key)) {
                load(partition, Set.of(key));
            }
            Double last = known.get(key);
            if (last != null && progress < last) {
                return false;
            }
            known.put(key, progress);
            pending.add(new Pending(index, partition, key, new ProgressStore.Raise(progress)));
            return true;
        }

        /** Saves the changes made by the records before {@code index}, whose outputs are durable. */
        public void save(int index) {
            Map<Integer, Map<String, ProgressStore.Change>> byPartition = new LinkedHashMap<>();
            for (Pending p : pending) {
                if (p.index() < index) {
                    byPartition
                            .computeIfAbsent(p.partition(), x -> new LinkedHashMap<>())
                            .merge(p.key(), p.change(), Poll::then);
                }
            }
            pending.removeIf(p -> p.index() < index);
            byPartition.forEach((partition, changes) -> {
                try {
                    store.save(partition, changes);
                    recovered();
                } catch (RuntimeException e) {
                    failed("saving", e);
                }
            });
        }

        /** Two changes of one key in order, as one. */
        private static ProgressStore.Change then(ProgressStore.Change first, ProgressStore.Change second) {
            if (second instanceof ProgressStore.Raise raise && !(first instanceof ProgressStore.Raise)) {
                return new ProgressStore.Replace(raise.value()); // a run ended, and the next one began
            }
            return second;
        }

        private void load(int partition, Set<String> keys) {
            Map<String, Double> known = view.computeIfAbsent(partition, p -> new HashMap<>());
            List<String> missing =
                    keys.stream().filter(k -> !known.containsKey(k)).toList();
            if (missing.isEmpty()) {
                return;
            }
            Map<String, Double> found;
            try {
                found = store.load(partition, missing);
                recovered();
            } catch (RuntimeException e) {
                failed("reading", e);
                found = Map.of();
            }
            for (String key : missing) {
                known.put(key, found.get(key));
            }
        }
    }

    private void failed(String what, RuntimeException e) {
        onStoreFailure.accept(e);
        if (!storeFailing) {
            storeFailing = true;
            log.warn("progress guard: {} its store failed; admitting events until it answers again", what, e);
        }
    }

    private void recovered() {
        if (storeFailing) {
            storeFailing = false;
            log.info("progress guard: its store answers again");
        }
    }
}
