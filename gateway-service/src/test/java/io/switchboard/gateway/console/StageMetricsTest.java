package io.switchboard.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the services' own Micrometer registries write, in Prometheus's protobuf format, read back by the console. */
class StageMetricsTest {

    private static final Instant AT = Instant.parse("2026-12-03T10:00:00Z");

    @Test
    void sumsACounterOverItsTagsAndCountsOneNeverIncrementedAsZero() throws Exception {
        PrometheusMeterRegistry router = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Counter.builder("switchboard.router.routed")
                .tag("rule", "audits")
                .register(router)
                .increment(5);
        Counter.builder("switchboard.router.routed")
                .tag("rule", "global")
                .register(router)
                .increment(2);
        Counter.builder("switchboard.router.dead_lettered")
                .tag("reason", "UNSAFE_PLACEHOLDER")
                .register(router)
                .increment();
        Counter.builder("switchboard.router.truncated")
                .tag("rule", "audits")
                .register(router)
                .increment(9);

        StageCounters counters = StageMetrics.parse(Stage.ROUTER, "http://r", protobuf(router), AT);

        assertThat(counters.up()).isTrue();
        assertThat(counters.counters())
                .containsExactly(Map.entry("routed", 7.0), Map.entry("dropped", 0.0), Map.entry("dead_lettered", 1.0));
        assertThat(counters.circuitBreaker()).isNull();
        assertThat(counters.at()).isEqualTo(AT);
    }

    @Test
    void readsTheStateOfThePublishersBreakerAroundPusher() throws Exception {
        PrometheusMeterRegistry publisher = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Counter.builder("switchboard.publisher.published").register(publisher).increment(40);
        Counter.builder("switchboard.publisher.dedupe_hits").register(publisher).increment(3);
        // resilience4j's TaggedCircuitBreakerMetrics: one gauge per state, 1 for the current one
        for (String state : new String[] {"closed", "open", "half_open", "forced_open"}) {
            Gauge.builder("resilience4j.circuitbreaker.state", () -> state.equals("open") ? 1 : 0)
                    .tags("name", "pusher", "state", state)
                    .register(publisher);
        }
        Gauge.builder("resilience4j.circuitbreaker.state", () -> 1)
                .tags("name", "another", "state", "closed")
                .register(publisher);

        StageCounters counters = StageMetrics.parse(Stage.PUBLISHER, "http://p", protobuf(publisher), AT);

        assertThat(counters.counters())
                .containsExactly(
                        Map.entry("published", 40.0), Map.entry("deduplicated", 3.0), Map.entry("dead_lettered", 0.0));
        assertThat(counters.circuitBreaker()).isEqualTo("open");
    }

    @Test
    void aCountersNameMayComeWithOrWithoutItsTotalSuffix() {
        assertThat(StageMetrics.baseName("switchboard_relay_published_total")).isEqualTo("switchboard_relay_published");
        assertThat(StageMetrics.baseName("switchboard_relay_published")).isEqualTo("switchboard_relay_published");
    }

    private static ByteArrayInputStream protobuf(PrometheusMeterRegistry registry) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        registry.scrape(out, StageMetrics.ACCEPT);
        return new ByteArrayInputStream(out.toByteArray());
    }
}
