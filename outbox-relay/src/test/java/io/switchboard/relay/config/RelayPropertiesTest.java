package io.switchboard.relay.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** The relay's settings are checked when they are bound: a bad one stops start-up and the message names it. */
class RelayPropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(RelayProperties.class)
    static class Bound {}

    private final ApplicationContextRunner context = new ApplicationContextRunner().withUserConfiguration(Bound.class);

    @Test
    void theDefaultsBind() {
        context.run(c -> {
            RelayProperties p = c.getBean(RelayProperties.class);
            assertThat(p.batchSize()).isEqualTo(500);
            assertThat(p.maxInFlight()).isEqualTo(4);
            assertThat(p.maxRecordBytes()).isEqualTo(1_000_000);
            assertThat(p.unhealthyAfter()).isEqualTo(Duration.ofSeconds(30));
            assertThat(p.outboxTable().qualifiedName()).isEqualTo("switchboard_outbox");
        });
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
        "batch-size, 0",
        "batch-size, 10001",
        "max-in-flight, 0",
        "poll-interval, -1s",
        "poll-interval, 0s",
        "max-poll-interval, 5ms",
        "max-backoff, -10s",
        "ack-timeout, 0ms",
        "standby-retry, -1s",
        "lock-recheck, 0s",
        "unhealthy-after, -5s",
        "max-record-bytes, 1000",
        "table, 'outbox; DROP TABLE x'",
        "table, a.b.c",
        "topic, ' '",
        "dead-letter-topic, realtime.events",
        "default-source, ' '"
    })
    void invalidSettingsAreRefusedAtStartUpNamingTheSetting(String setting, String value) {
        context.withPropertyValues("switchboard.outbox." + setting + "=" + value)
                .run(c -> {
                    assertThat(c).hasFailed();
                    assertThat(c.getStartupFailure()).rootCause().hasMessageContaining("switchboard.outbox." + setting);
                });
    }

    @Test
    void aSchemaQualifiedTableIsAccepted() {
        context.withPropertyValues("switchboard.outbox.table=events.outbox").run(c -> {
            RelayProperties p = c.getBean(RelayProperties.class);
            assertThat(p.outboxTable().schema()).isEqualTo("events");
            assertThat(p.outboxTable().name()).isEqualTo("outbox");
        });
    }
}
