package io.switchboard.gateway.console;

import io.prometheus.metrics.expositionformats.PrometheusProtobufWriter;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_33_0.Metrics;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads one stage's counters from its Prometheus scrape in the protobuf exposition format, parsed by the Prometheus
 * client library's own generated classes (no hand-written text parser). Their package carries the version of the
 * protobuf runtime the library shades, so a new library version fails this class's compilation, loudly, rather than
 * its behaviour. Counters are summed over their tags.
 */
final class StageMetrics {

    /** What Spring Boot's scrape endpoint answers with the protobuf format. */
    static final String ACCEPT = PrometheusProtobufWriter.CONTENT_TYPE;

    private StageMetrics() {}

    static StageCounters parse(Stage stage, String url, InputStream protobuf, Instant at) throws IOException {
        Map<String, Double> sums = new LinkedHashMap<>();
        stage.counters().keySet().forEach(name -> sums.put(name, 0.0));
        Map<String, String> byFamily = new LinkedHashMap<>();
        stage.counters().forEach((name, family) -> byFamily.put(family, name));
        String breaker = null;
        Metrics.MetricFamily family;
        while ((family = Metrics.MetricFamily.parseDelimitedFrom(protobuf)) != null) {
            String name = baseName(family.getName());
            String counter = byFamily.get(name);
            if (counter != null) {
                double sum = 0;
                for (Metrics.Metric metric : family.getMetricList()) {
                    sum += value(metric);
                }
                sums.put(counter, sum);
            } else if (name.equals(Stage.BREAKER_STATE)) {
                for (Metrics.Metric metric : family.getMetricList()) {
                    if (Stage.BREAKER_NAME.equals(label(metric, "name")) && value(metric) == 1.0) {
                        breaker = label(metric, "state");
                    }
                }
            }
        }
        return new StageCounters(stage.key(), url, true, sums, breaker, null, at);
    }

    /** The family name without the {@code _total} a counter's name may carry in one format and not another. */
    static String baseName(String name) {
        return name.endsWith("_total") ? name.substring(0, name.length() - "_total".length()) : name;
    }

    private static double value(Metrics.Metric metric) {
        if (metric.hasCounter()) {
            return metric.getCounter().getValue();
        }
        if (metric.hasGauge()) {
            return metric.getGauge().getValue();
        }
        return metric.hasUntyped() ? metric.getUntyped().getValue() : 0;
    }

    private static String label(Metrics.Metric metric, String name) {
        for (Metrics.LabelPair pair : metric.getLabelList()) {
            if (pair.getName().equals(name)) {
                return pair.getValue();
            }
        }
        return null;
    }
}
