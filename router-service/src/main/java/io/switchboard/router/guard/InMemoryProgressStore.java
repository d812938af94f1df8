package io.switchboard.router.guard;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The guard's state in this instance's memory: an LRU of at most {@code capacity} runs, least recently updated
 * forgotten first. A partition's state is forgotten when the partition is revoked, so a partition that comes back
 * later is never compared with stale values; the instance that takes a partition over starts with nothing for it,
 * so the first event of each run passes there (a stale event can pass once right after a rebalance). Thread-safe.
 */
public final class InMemoryProgressStore implements ProgressStore {

    private record Key(int partition, String key) {}

    private final Map<Key, Double> last;

    public InMemoryProgressStore(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("progress guard capacity must be at least 1, was " + capacity);
        }
        this.last = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Double> eldest) {
                return size() > capacity;
            }
        };
    }

    @Override
    public synchronized Map<String, Double> load(int partition, Collection<String> keys) {
        Map<String, Double> found = new HashMap<>();
        for (String key : keys) {
            Double value = last.get(new Key(partition, key));
            if (value != null) {
                found.put(key, value);
            }
        }
        return found;
    }

    @Override
    public synchronized void save(int partition, Map<String, Change> changes) {
        changes.forEach((key, change) -> {
            Key k = new Key(partition, key);
            if (change instanceof Raise raise) {
                last.merge(k, raise.value(), Math::max);
            } else if (change instanceof Replace replace) {
                last.put(k, replace.value());
            } else {
                last.remove(k);
            }
        });
    }

    @Override
    public synchronized void revoked(Collection<Integer> partitions) {
        last.keySet().removeIf(k -> partitions.contains(k.partition()));
    }

    public synchronized int size() {
        return last.size();
    }
}
