package io.switchboard.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Review of issue 16: an unchecked exception from one scrape left {@code scheduleWithFixedDelay}'s task, which cancels
 * every later run: the page then showed the last numbers forever.
 */
class MetricsScraperTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-03T10:00:00Z"), ZoneOffset.UTC);
    private static final Map<Stage, URI> URLS = new EnumMap<>(Map.of(
            Stage.RELAY, URI.create("http://127.0.0.1:8083/actuator/prometheus"),
            Stage.ROUTER, URI.create("http://127.0.0.1:8081/actuator/prometheus"),
            Stage.PUBLISHER, URI.create("http://127.0.0.1:8082/actuator/prometheus")));

    @Test
    void aStageWhoseScrapeThrowsIsShownDownWithTheReasonAndTheOthersAreStillRead() {
        MetricsScraper scraper = new MetricsScraper(URLS, Duration.ofSeconds(5), CLOCK, (stage, url) -> {
            if (stage == Stage.ROUTER) {
                throw new IllegalStateException("a family the parser did not expect");
            }
            return up(stage, url, 3);
        });

        scraper.scrapeAll();

        assertThat(scraper.counters())
                .extracting(StageCounters::stage, StageCounters::up, StageCounters::error)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("relay", true, null),
                        org.assertj.core.groups.Tuple.tuple(
                                "router",
                                false,
                                "scrape failed: IllegalStateException: a family the parser did not expect"),
                        org.assertj.core.groups.Tuple.tuple("publisher", true, null));
    }

    @Test
    void aScrapeThatThrowsDoesNotStopTheLaterOnes() {
        AtomicInteger routerReads = new AtomicInteger();
        try (MetricsScraper scraper = new MetricsScraper(URLS, Duration.ofMillis(20), CLOCK, (stage, url) -> {
            if (stage == Stage.ROUTER && routerReads.incrementAndGet() == 1) {
                throw new NullPointerException("once");
            }
            return up(stage, url, routerReads.get());
        })) {
            scraper.start();

            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(scraper.counters())
                            .filteredOn(c -> c.stage().equals("router"))
                            .singleElement()
                            .satisfies(c -> {
                                assertThat(c.up()).isTrue();
                                assertThat(c.counters().get("routed")).isGreaterThanOrEqualTo(3.0);
                            }));
        }
    }

    private static StageCounters up(Stage stage, URI url, double value) {
        return new StageCounters(
                stage.key(), url.toString(), true, Map.of("routed", value), null, null, CLOCK.instant());
    }
}
