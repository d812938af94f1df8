package io.switchboard.publisher.dedupe;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/** The contract against the machine's real Redis (127.0.0.1:6379, or REDIS_TEST_PORT). */
class RedisDedupeStoreIT extends DedupeStoreContract {

    private static final LettuceConnectionFactory CONNECTIONS = connections();
    private static final StringRedisTemplate REDIS = new StringRedisTemplate(CONNECTIONS);
    private long windowEnds;

    private static LettuceConnectionFactory connections() {
        int port = Integer.parseInt(System.getenv().getOrDefault("REDIS_TEST_PORT", "6379"));
        LettuceConnectionFactory factory =
                new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", port));
        factory.afterPropertiesSet();
        factory.start();
        return factory;
    }

    @AfterAll
    static void close() {
        CONNECTIONS.destroy();
    }

    @Override
    protected DedupeStore store(int windowSeconds) {
        windowEnds = System.nanoTime() + Duration.ofSeconds(windowSeconds).toNanos();
        return new RedisDedupeStore(REDIS, Duration.ofSeconds(windowSeconds));
    }

    @Override
    protected void letWindowPass() {
        await().atMost(Duration.ofSeconds(5)).until(() -> System.nanoTime() > windowEnds + 200_000_000L);
    }
}
