package io.switchboard.publisher.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.publisher.dedupe.DedupeStore;
import io.switchboard.publisher.dedupe.FailOpenDedupeStore;
import io.switchboard.publisher.dedupe.InMemoryDedupeStore;
import io.switchboard.publisher.dedupe.RedisDedupeStore;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The dedupe store: Redis when {@code REDIS_URL} is set (shared by every replica), else in memory (one instance).
 * Window: {@code switchboard.dedupe.window} (24h).
 */
@Configuration(proxyBeanMethods = false)
public class DedupeConfig {

    private static final Logger log = LoggerFactory.getLogger(DedupeConfig.class);

    @Bean
    DedupeStore dedupeStore(
            @Value("${REDIS_URL:}") String redisUrl,
            @Value("${switchboard.dedupe.window:24h}") Duration window,
            @Value("${switchboard.dedupe.memory-capacity:500000}") int capacity,
            ObjectProvider<StringRedisTemplate> redis,
            MeterRegistry registry,
            Clock clock) {
        DedupeStore store;
        if (redisUrl.isBlank()) {
            log.info(
                    "dedupe in memory ({} pairs at most, window {}); set REDIS_URL to share it between replicas",
                    capacity,
                    window);
            store = new InMemoryDedupeStore(window, capacity, clock);
        } else {
            log.info("dedupe in Redis, window {}", window);
            store = new RedisDedupeStore(redis.getObject(), window);
        }
        return new FailOpenDedupeStore(store, registry);
    }
}
