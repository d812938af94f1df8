package io.switchboard.router.guard;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The guard's state in Redis (Lettuce through Spring Data Redis), shared by every router instance, so it holds
 * across rebalances, restarts and instances: the owner of a partition after a rebalance compares with what the
 * previous owner saved. One key per run, {@code switchboard:progress:<key>}, expiring {@code ttl} after its last
 * change. A raise is an atomic compare-and-set in a Lua script (the value only ever goes up, whichever instance
 * writes), a run's end deletes the key; one pipelined round trip per poll and partition.
 */
public final class RedisProgressStore implements ProgressStore {

    static final String PREFIX = "switchboard:progress:";

    /** KEYS[1]; ARGV: op (R raise, S set), value, ttl in ms. */
    private static final byte[] SCRIPT = """
            local current = redis.call('GET', KEYS[1])
            if ARGV[1] == 'S' or not current or tonumber(current) <= tonumber(ARGV[2]) then
              redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
              return 1
            end
            return 0
            """.getBytes(StandardCharsets.UTF_8);

    private final StringRedisTemplate redis;
    private final byte[] ttlMillis;

    public RedisProgressStore(StringRedisTemplate redis, Duration ttl) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("switchboard.router.progress-guard-ttl must be positive, was " + ttl);
        }
        this.redis = redis;
        this.ttlMillis = bytes(Long.toString(ttl.toMillis()));
    }

    @Override
    public Map<String, Double> load(int partition, Collection<String> keys) {
        List<String> ordered = new ArrayList<>(keys);
        List<String> values = ordered.isEmpty()
                ? List.of()
                : redis.opsForValue()
                        .multiGet(ordered.stream().map(k -> PREFIX + k).toList());
        Map<String, Double> found = new HashMap<>();
        for (int i = 0; values != null && i < ordered.size(); i++) {
            if (values.get(i) != null) {
                found.put(ordered.get(i), Double.valueOf(values.get(i)));
            }
        }
        return found;
    }

    @Override
    public void save(int partition, Map<String, Change> changes) {
        if (changes.isEmpty()) {
            return;
        }
        redis.executePipelined((RedisCallback<Object>) connection -> {
            changes.forEach((key, change) -> {
                byte[] k = bytes(PREFIX + key);
                if (change instanceof Raise raise) {
                    eval(connection, k, "R", raise.value());
                } else if (change instanceof Replace replace) {
                    eval(connection, k, "S", replace.value());
                } else {
                    connection.keyCommands().del(k);
                }
            });
            return null;
        });
    }

    private void eval(
            org.springframework.data.redis.connection.RedisConnection connection, byte[] key, String op, double value) {
        connection
                .scriptingCommands()
                .eval(SCRIPT, ReturnType.INTEGER, 1, key, bytes(op), bytes(Double.toString(value)), ttlMillis);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
