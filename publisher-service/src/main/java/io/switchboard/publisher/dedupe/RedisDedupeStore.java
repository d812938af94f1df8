package io.switchboard.publisher.dedupe;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.data.redis.connection.RedisStringCommands.SetOption;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.types.Expiration;

/**
 * Redis (Lettuce through Spring Data Redis), shared by every replica: one key per (event id, channel), written with
 * SET NX and the window as expiry. Keys: {@code switchboard:delivered:<event id>:<channel>}.
 */
public final class RedisDedupeStore implements DedupeStore {

    private final StringRedisTemplate redis;
    private final Duration window;

    public RedisDedupeStore(StringRedisTemplate redis, Duration window) {
        this.redis = redis;
        this.window = window;
    }

    @Override
    public List<String> undelivered(String eventId, List<String> channels) {
        List<String> keys = channels.stream().map(c -> key(eventId, c)).toList();
        List<String> values = redis.opsForValue().multiGet(keys);
        List<String> undelivered = new ArrayList<>(channels.size());
        for (int i = 0; i < channels.size(); i++) {
            if (values == null || values.get(i) == null) {
                undelivered.add(channels.get(i));
            }
        }
        return undelivered;
    }

    @Override
    public void delivered(String eventId, List<String> channels) {
        for (String channel : channels) {
            redis.opsForValue().setIfAbsent(key(eventId, channel), "1", window);
        }
    }

    /** One MGET for every (event, channel) pair. */
    @Override
    public Map<String, List<String>> undelivered(Map<String, List<String>> events) {
        List<String> keys = new ArrayList<>();
        events.forEach((id, channels) -> channels.forEach(c -> keys.add(key(id, c))));
        List<String> values = keys.isEmpty() ? List.of() : redis.opsForValue().multiGet(keys);
        Map<String, List<String>> answer = new LinkedHashMap<>();
        int i = 0;
        for (Map.Entry<String, List<String>> event : events.entrySet()) {
            List<String> undelivered = new ArrayList<>(event.getValue().size());
            for (String channel : event.getValue()) {
                if (values == null || values.get(i++) == null) {
                    undelivered.add(channel);
                }
            }
            answer.put(event.getKey(), undelivered);
        }
        return answer;
    }

    /** Every SET NX EX in one pipeline (one round trip). */
    @Override
    public void delivered(Map<String, List<String>> events) {
        if (events.isEmpty()) {
            return;
        }
        byte[] value = "1".getBytes(StandardCharsets.UTF_8);
        Expiration expiry = Expiration.from(window);
        redis.executePipelined((RedisCallback<Object>) connection -> {
            events.forEach((id, channels) -> channels.forEach(c -> connection
                    .stringCommands()
                    .set(key(id, c).getBytes(StandardCharsets.UTF_8), value, expiry, SetOption.ifAbsent())));
            return null;
        });
    }

    static String key(String eventId, String channel) {
        return "switchboard:delivered:" + eventId + ":" + channel;
    }
}
