package io.switchboard.publisher.dedupe;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

class FailOpenDedupeStoreTest {

    @Test
    void anUnreachableRedisMeansPublishingWithoutDedupeCountedNotStalling() {
        // a Redis that is not there: port 1 on loopback refuses at once
        LettuceConnectionFactory nowhere =
                new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", 1));
        nowhere.afterPropertiesSet();
        nowhere.start();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try {
            DedupeStore store = new FailOpenDedupeStore(
                    new RedisDedupeStore(new StringRedisTemplate(nowhere), Duration.ofHours(1)), registry);
            assertThat(store.undelivered("e1", List.of("a", "b"))).containsExactly("a", "b");
            store.delivered("e1", List.of("a", "b"));
            assertThat(registry.get("switchboard.publisher.dedupe_unavailable")
                            .counter()
                            .count())
                    .isEqualTo(2.0);
        } finally {
            nowhere.destroy();
        }
    }
}
