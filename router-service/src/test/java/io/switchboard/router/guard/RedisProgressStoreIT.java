package io.switchboard.router.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.json.JsonMapper;

/** The progress guard's state in a real Redis (127.0.0.1:6379), as several router instances share it. */
class RedisProgressStoreIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final LettuceConnectionFactory first = connect();
    private final LettuceConnectionFactory second = connect();
    private final String entity = "fiche-" + UUID.randomUUID();

    private static LettuceConnectionFactory connect() {
        LettuceConnectionFactory factory =
                new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", 6379));
        factory.afterPropertiesSet();
        factory.start();
        return factory;
    }

    @AfterEach
    void close() {
        first.destroy();
        second.destroy();
    }

    private static ProgressGuard guard(LettuceConnectionFactory factory) {
        return new ProgressGuard(new RedisProgressStore(new StringRedisTemplate(factory), Duration.ofHours(1)), e -> {
            throw e;
        });
    }

    private static boolean admit(ProgressGuard guard, int partition, String entity, String type, String payload) {
        ProgressGuard.Poll poll = guard.poll();
        poll.expect(partition, entity, type);
        poll.preload();
        boolean admitted = poll.admit(0, partition, entity, type, JSON.readTree(payload));
        poll.save(1);
        return admitted;
    }

    @Test
    void newOwnerAfterARebalanceComparesWithWhatThePreviousOwnerSaved() {
        // the defect: an instance that took a partition over started empty, so a stale event passed there
        ProgressGuard before = guard(first);
        ProgressGuard after = guard(second);
        assertThat(admit(before, 2, entity, "transcription.progress", "{\"progress_percentage\":80}"))
                .isTrue();
        assertThat(admit(after, 2, entity, "transcription.progress", "{\"progress_percentage\":50}"))
                .as("stale on the new owner")
                .isFalse();
        assertThat(admit(after, 2, entity, "transcription.completed", "{\"status\":\"completed\"}"))
                .isTrue();
        assertThat(admit(before, 0, entity, "transcription.progress", "{\"progress_percentage\":10}"))
                .as("a new run, seen by any instance, on any partition")
                .isTrue();
    }

    @Test
    void raiseIsACompareAndSetAndEveryKeyExpires() {
        StringRedisTemplate redis = new StringRedisTemplate(first);
        redis.afterPropertiesSet();
        RedisProgressStore store = new RedisProgressStore(redis, Duration.ofMinutes(5));
        String key = ProgressGuard.key(entity, "audit");
        store.save(0, Map.of(key, new ProgressStore.Raise(80)));
        store.save(0, Map.of(key, new ProgressStore.Raise(50))); // a late writer does not lower it
        assertThat(store.load(0, List.of(key))).containsEntry(key, 80.0);
        Long ttl = redis.getExpire(RedisProgressStore.PREFIX + key);
        assertThat(ttl).isBetween(250L, 300L);

        store.save(0, Map.of(key, new ProgressStore.Replace(10)));
        assertThat(store.load(0, List.of(key))).containsEntry(key, 10.0);
        store.save(0, Map.of(key, new ProgressStore.Forget()));
        assertThat(store.load(0, List.of(key))).isEmpty();
    }
}
