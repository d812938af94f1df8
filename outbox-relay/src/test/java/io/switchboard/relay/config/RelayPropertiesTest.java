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
            assertThat(p.ackTimeout()).isEqualTo(Duration.ofSeconds(30));
            assertThat(p.unhealthyAfter()).isEqualTo(Duration.ofSeconds(60));
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

    /** Issue 13: with unhealthy-after at or under ack-timeout, one slow acknowledgement wait reported DOWN. */
    @ParameterizedTest(name = "ack-timeout={0}, unhealthy-after={1}")
    @CsvSource({"30s, 30s", "30s, 10s", "90s, 60s"})
    void unhealthyAfterNotLongerThanAckTimeoutIsRefusedNamingBoth(String ackTimeout, String unhealthyAfter) {
        context.withPropertyValues(
                        "switchboard.outbox.ack-timeout=" + ackTimeout,
                        "switchboard.outbox.unhealthy-after=" + unhealthyAfter)
                .run(c -> {
                    assertThat(c).hasFailed();
                    assertThat(c.getStartupFailure())
                            .rootCause()
                            .hasMessageContaining("switchboard.outbox.unhealthy-after")
                            .hasMessageContaining("switchboard.outbox.ack-timeout");
                });
    }

    @Test
    void unhealthyAfterLongerThanAckTimeoutBinds() {
        context.withPropertyValues("switchboard.outbox.ack-timeout=5s", "switchboard.outbox.unhealthy-after=6s")
                .run(c -> {
                    RelayProperties p = c.getBean(RelayProperties.class);
                    assertThat(p.ackTimeout()).isEqualTo(Duration.ofSeconds(5));
                    assertThat(p.unhealthyAfter()).isEqualTo(Duration.ofSeconds(6));
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
