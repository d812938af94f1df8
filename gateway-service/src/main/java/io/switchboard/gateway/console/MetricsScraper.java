package io.switchboard.gateway.console;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads each stage's counters from its service's {@code /actuator/prometheus} every {@code interval}, on a thread of
 * its own, so a page's request never waits on a slow service. A service that does not answer is shown as down with
 * the reason, and its last numbers are dropped rather than shown as current; so is one whose scrape fails in any
 * other way, and the next scrape is still made.
 */
public final class MetricsScraper implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(3);
    private static final Logger log = LoggerFactory.getLogger(MetricsScraper.class);

    private final Map<Stage, URI> urls;
    private final Clock clock;
    private final HttpClient http;
    private final Map<Stage, StageCounters> last = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;
    private final Duration interval;
    private final BiFunction<Stage, URI, StageCounters> reader;
    private final Map<Stage, String> failures = new ConcurrentHashMap<>();

    public MetricsScraper(Map<Stage, URI> urls, Duration interval, Clock clock) {
        this(urls, interval, clock, null);
    }

    /** @param reader reads one stage's counters; null for the HTTP scrape ({@link #scrape}). For tests. */
    MetricsScraper(Map<Stage, URI> urls, Duration interval, Clock clock, BiFunction<Stage, URI, StageCounters> reader) {
        this.reader = reader == null ? this::scrape : reader;
        this.urls = new EnumMap<>(urls);
        this.interval = interval;
        this.clock = clock;
        this.http = HttpClient.newBuilder()
                .connectTimeout(TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "console-metrics");
            t.setDaemon(true);
            return t;
        });
    }

    public void start() {
        timer.scheduleWithFixedDelay(this::scrapeAll, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Every stage's counters as last read, in pipeline order; a stage not read yet is down with "not read yet". */
    public List<StageCounters> counters() {
        List<StageCounters> all = new ArrayList<>();
        urls.forEach((stage, url) -> all.add(last.getOrDefault(
                stage, new StageCounters(stage.key(), url.toString(), false, Map.of(), null, "not read yet", null))));
        return all;
    }

    /** How often each stage is read. */
    public Duration interval() {
        return interval;
    }

    /**
     * Reads every stage. Nothing may leave this method: an exception thrown from a task of
     * {@code scheduleWithFixedDelay} cancels every later run, and the page would show the last numbers forever.
     */
    void scrapeAll() {
        urls.forEach((stage, url) -> {
            StageCounters counters;
            try {
                counters = reader.apply(stage, url);
                failures.remove(stage);
            } catch (RuntimeException e) {
                String why = "scrape failed: " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage().replaceAll("\\s*\\R\\s*", " "));
                if (!why.equals(failures.put(stage, why))) {
                    log.warn("console: reading {}'s metrics at {} failed", stage.key(), url, e);
                }
                counters = down(stage, url, why);
            }
            last.put(stage, counters);
        });
    }

    StageCounters scrape(Stage stage, URI url) {
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(TIMEOUT)
                .header("Accept", StageMetrics.ACCEPT)
                .GET()
                .build();
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    return down(stage, url, "HTTP " + response.statusCode());
                }
                String type = response.headers().firstValue("Content-Type").orElse("");
                if (!type.startsWith("application/vnd.google.protobuf")) {
                    return down(stage, url, "answered " + type + ", not Prometheus's protobuf format");
                }
                return StageMetrics.parse(stage, url.toString(), body, clock.instant());
            }
        } catch (HttpTimeoutException e) {
            return down(stage, url, "no answer within " + TIMEOUT.toSeconds() + " s");
        } catch (java.net.ConnectException e) {
            return down(stage, url, "connection refused: is the service running?");
        } catch (IOException e) {
            return down(stage, url, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return down(stage, url, "interrupted");
        }
    }

    private StageCounters down(Stage stage, URI url, String why) {
        return new StageCounters(stage.key(), url.toString(), false, Map.of(), null, why, clock.instant());
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
