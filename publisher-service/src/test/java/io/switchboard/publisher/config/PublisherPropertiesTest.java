package io.switchboard.publisher.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Bad settings stop start-up with a message that names the setting (and its environment variable, if any). */
class PublisherPropertiesTest {

    @EnableConfigurationProperties({PublisherProperties.class, PusherProperties.class})
    static class Settings {}

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withInitializer(new ConfigDataApplicationContextInitializer())
            .withPropertyValues("spring.config.name=publisher-service")
            .withUserConfiguration(Settings.class);

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            SWITCHBOARD_PUBLISH_MAX_IN_FLIGHT=0                         | switchboard.publisher.max-in-flight (SWITCHBOARD_PUBLISH_MAX_IN_FLIGHT) must be at least 1, not 0
            SWITCHBOARD_PUBLISH_IO_THREADS=0                            | switchboard.publisher.io-threads (SWITCHBOARD_PUBLISH_IO_THREADS) must be at least 1, not 0
            PUSHER_MAX_MESSAGES_PER_SECOND=50                           | switchboard.publisher.max-messages-per-second (PUSHER_MAX_MESSAGES_PER_SECOND) must be 0 (no limit) or at least 100
            switchboard.publisher.request-timeout=-1s                   | switchboard.publisher.request-timeout must be a positive duration
            switchboard.publisher.request-timeout=0s                    | switchboard.publisher.request-timeout must be a positive duration
            switchboard.publisher.dead-letter-topic=realtime.publish    | switchboard.publisher.dead-letter-topic must differ from switchboard.publisher.input-topic
            switchboard.publisher.retry.max-attempts=0                  | switchboard.publisher.retry.max-attempts must be at least 1, not 0
            switchboard.publisher.retry.initial-backoff=-200ms          | switchboard.publisher.retry.initial-backoff must be a positive duration
            switchboard.publisher.retry.max-backoff=100ms               | switchboard.publisher.retry.max-backoff must be at least switchboard.publisher.retry.initial-backoff
            switchboard.publisher.retry.retry-after-cap=0s              | switchboard.publisher.retry.retry-after-cap must be a positive duration
            switchboard.publisher.circuit-breaker.failure-rate-percent=0 | switchboard.publisher.circuit-breaker.failure-rate-percent must be from 1 to 100, not 0
            switchboard.publisher.circuit-breaker.window=0              | switchboard.publisher.circuit-breaker.window must be at least 1, not 0
            switchboard.publisher.circuit-breaker.minimum-calls=0       | switchboard.publisher.circuit-breaker.minimum-calls must be at least 1, not 0
            switchboard.publisher.circuit-breaker.open-wait=-5s         | switchboard.publisher.circuit-breaker.open-wait must be a positive duration
            switchboard.publisher.circuit-breaker.half-open-calls=0     | switchboard.publisher.circuit-breaker.half-open-calls must be at least 1, not 0
            PUSHER_SCHEME=ftp                                           | switchboard.pusher.scheme (PUSHER_SCHEME) must be http or https, not ftp
            PUSHER_PORT=70000                                           | switchboard.pusher.port (PUSHER_PORT) must be from 1 to 65535, not 70000
            """)
    void aBadSettingStopsStartUpNamingIt(String setting, String message) {
        context.withPropertyValues(setting)
                .run(c -> assertThat(c).getFailure().rootCause().hasMessageContaining(message));
    }

    @ParameterizedTest
    @CsvSource({
        "SWITCHBOARD_PUBLISH_MAX_IN_FLIGHT=1",
        "PUSHER_MAX_MESSAGES_PER_SECOND=0",
        "PUSHER_MAX_MESSAGES_PER_SECOND=100"
    })
    void theDefaultsAndTheLimitsThemselvesAreAccepted(String setting) {
        context.withPropertyValues(setting).run(c -> assertThat(c).hasNotFailed());
    }
}
