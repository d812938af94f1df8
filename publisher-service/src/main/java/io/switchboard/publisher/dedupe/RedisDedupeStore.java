package io.switchboard.publisher.dedupe;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.data.redis.core.StringRedisTemplate;

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

    static String key(String eventId, String channel) {
        return "switchboard:delivered:" + eventId + ":" + channel;
    }
}
