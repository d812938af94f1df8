package io.switchboard.relay.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.relay.demo.DemoEvents;
import io.switchboard.relay.demo.DemoRow;
import io.switchboard.relay.demo.DemoSink;
import io.switchboard.relay.demo.TestClock;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Each switchboard.demo setting, bound as the relay binds it, changes what the demo writes; bad ones stop start-up. */
class DemoPropertiesTest {

    /** The demo's wiring with an in-memory sink and a clock the test moves. */
    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(DemoProperties.class)
    static class Wiring {
        final List<DemoRow> rows = new ArrayList<>();

        @Bean
        TestClock clock() {
            return new TestClock(Instant.parse("2026-02-27T10:00:00Z"));
        }

        @Bean
        DemoSink listSink() {
            return rows::add;
        }
    }

    private final ApplicationContextRunner context =
            new ApplicationContextRunner().withUserConfiguration(Wiring.class, DemoConfig.class);

    @Test
    void theDemoIsOffUnlessEnabled() {
        context.run(c -> assertThat(c).doesNotHaveBean(DemoEvents.class));
        context.withPropertyValues("switchboard.demo.enabled=true")
                .run(c -> assertThat(c).hasSingleBean(DemoEvents.class));
    }

    @Test
    void theDemoStopsWhenTheContextCloses() {
        context.withPropertyValues("switchboard.demo.enabled=true").run(c -> {
            DemoEvents demo = c.getBean(DemoEvents.class);
            TestClock clock = (TestClock) c.getBean(Clock.class);
            List<DemoRow> rows = runFor(c, Duration.ofSeconds(1));
            c.close();
            clock.advance(Duration.ofSeconds(5));
            demo.tick(); // as a tick already scheduled would
            assertThat(rows).hasSize(2);
        });
    }

    @ParameterizedTest(name = "rate={0}: {1} rows in 4 s")
    @CsvSource({"'', 8", "5, 20", "0.5, 2"})
    void theRateSetsRowsPerSecond(String rate, int expected) {
        context.withPropertyValues("switchboard.demo.enabled=true")
                .withPropertyValues(rate.isEmpty() ? new String[0] : new String[] {"switchboard.demo.rate=" + rate})
                .run(c -> assertThat(runFor(c, Duration.ofSeconds(4))).hasSize(expected));
    }

    @ParameterizedTest(name = "anomaly-every={0}: first anomaly in run {1}")
    @CsvSource({"'', 2", "3, 3", "5, 5"})
    void anomalyEverySetsWhichRunsBringTheAnomalies(String every, int firstRun) {
        context.withPropertyValues("switchboard.demo.enabled=true", "switchboard.demo.rate=100")
                .withPropertyValues(
                        every.isEmpty() ? new String[0] : new String[] {"switchboard.demo.anomaly-every=" + every})
                .run(c -> assertThat(runFor(c, Duration.ofSeconds(20)))
                        .filteredOn(r -> r.expectation() != DemoRow.Expectation.DELIVERED)
                        .first()
                        .extracting(DemoRow::run)
                        .isEqualTo(firstRun));
    }

    @Test
    void anomalyEveryZeroTurnsTheAnomaliesOff() {
        context.withPropertyValues(
                        "switchboard.demo.enabled=true",
                        "switchboard.demo.rate=100",
                        "switchboard.demo.anomaly-every=0")
                .run(c -> assertThat(runFor(c, Duration.ofSeconds(20)))
                        .extracting(DemoRow::expectation)
                        .containsOnly(DemoRow.Expectation.DELIVERED));
    }

    @ParameterizedTest(name = "payload-limit={0}")
    @CsvSource({"'', 9000", "4000, 4000", "30000, 30000"})
    void theOversizeRowExceedsThePayloadLimit(String limit, int bytes) {
        context.withPropertyValues("switchboard.demo.enabled=true", "switchboard.demo.rate=100")
                .withPropertyValues(
                        limit.isEmpty() ? new String[0] : new String[] {"switchboard.demo.payload-limit=" + limit})
                .run(c -> assertThat(runFor(c, Duration.ofSeconds(20)))
                        .filteredOn(r -> r.expectation() == DemoRow.Expectation.TRUNCATED)
                        .first()
                        .extracting(r -> r.payload().getBytes(StandardCharsets.UTF_8).length)
                        .satisfies(size -> assertThat(size).isGreaterThan(bytes).isLessThan(bytes * 2)));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
        "rate, 0",
        "rate, -1",
        "rate, 1001",
        "anomaly-every, -1",
        "payload-limit, 100",
    })
    void invalidSettingsAreRefusedAtStartUpNamingTheSetting(String setting, String value) {
        context.withPropertyValues("switchboard.demo." + setting + "=" + value).run(c -> {
            assertThat(c).hasFailed();
            assertThat(c.getStartupFailure()).rootCause().hasMessageContaining("switchboard.demo." + setting);
        });
    }

    /** Ticks the demo as the relay's scheduler would, every 50 ms of the test's clock. */
    private static List<DemoRow> runFor(AssertableApplicationContext c, Duration duration) {
        TestClock clock = (TestClock) c.getBean(Clock.class);
        DemoEvents demo = c.getBean(DemoEvents.class);
        for (long ms = 0; ms < duration.toMillis(); ms += 50) {
            clock.advance(Duration.ofMillis(50));
            demo.tick();
        }
        return c.getBean(Wiring.class).rows;
    }
}
