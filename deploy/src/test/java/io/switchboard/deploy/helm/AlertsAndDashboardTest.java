package io.switchboard.deploy.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * deploy/prometheus/alerts.yml as Prometheus reads a rule file, and the Grafana dashboard as Grafana imports it.
 * That each metric they name is emitted by the services is DeployedMetricsIT's part.
 */
class AlertsAndDashboardTest {

    /** The alerts issue 16 asks for, by what they watch. */
    private static final Map<String, String> REQUIRED_ALERTS = Map.ofEntries(
            Map.entry("SwitchboardConsumerLagHigh", "consumer lag"),
            Map.entry("SwitchboardConsumersGone", "every consumer of a topic down (review of issue 16, item 12)"),
            Map.entry("SwitchboardRouterDeadLetters", "DLQ growth per reason (router)"),
            Map.entry("SwitchboardPublisherDeadLetters", "DLQ growth per reason (publisher)"),
            Map.entry("SwitchboardRelayDeadLetters", "DLQ growth per reason (relay)"),
            Map.entry("SwitchboardPusherCircuitOpen", "circuit open"),
            Map.entry("SwitchboardRelayBacklogOld", "relay backlog age"),
            Map.entry("SwitchboardRelayNoActiveReplica", "relay standby with no active replica"),
            Map.entry("SwitchboardAuthRefusalStorm", "auth refusal storms"),
            Map.entry("SwitchboardEndToEndLatencyHigh", "end-to-end latency p99"));

    /** Prometheus's duration syntax (for:, keep_firing_for:). */
    private static final Pattern DURATION = Pattern.compile("(\\d+(ms|s|m|h|d|w|y))+");

    @Test
    void alertsFileHasOnlyWhatAPrometheusRuleFileMayHold() {
        JsonNode file = MonitoringFiles.alertsYaml();
        assertThat(names(file)).containsExactly("groups");
        Set<String> groupNames = new HashSet<>();
        for (JsonNode group : file.get("groups")) {
            assertThat(names(group)).isSubsetOf("name", "interval", "limit", "rules", "labels");
            assertThat(groupNames.add(group.get("name").asString()))
                    .as("group names are unique")
                    .isTrue();
            assertThat(group.get("rules")).isNotEmpty();
            for (JsonNode rule : group.get("rules")) {
                String alert = rule.path("alert").asString();
                assertThat(names(rule))
                        .as(alert)
                        .contains("alert", "expr", "labels", "annotations")
                        .isSubsetOf("alert", "expr", "for", "keep_firing_for", "labels", "annotations");
                assertThat(alert).matches("[A-Za-z_][A-Za-z0-9_]*");
                assertThat(rule.get("expr").isString()).as(alert).isTrue();
                if (rule.has("for")) {
                    assertThat(rule.get("for").asString()).as(alert + " for").matches(DURATION);
                }
                assertThat(rule.get("labels").path("severity").asString())
                        .as(alert + " severity")
                        .isIn("critical", "warning");
                for (JsonNode value : rule.get("labels")) {
                    assertThat(value.isString())
                            .as(alert + " label values are strings")
                            .isTrue();
                }
                assertThat(names(rule.get("annotations"))).as(alert).contains("summary", "description");
            }
        }
    }

    @Test
    void everyAlertTheIssueNamesIsThere() {
        List<String> alerts = MonitoringFiles.alertExpressions().stream()
                .map(e -> e.where().substring("alert ".length()))
                .toList();
        assertThat(alerts).doesNotHaveDuplicates().containsAll(REQUIRED_ALERTS.keySet());
    }

    @Test
    void everyAlertReadsAtLeastOneMetricAndItsBracketsBalance() {
        for (MonitoringFiles.Expression e : MonitoringFiles.alertExpressions()) {
            assertThat(PromQl.metricNames(e.promql())).as(e.where()).isNotEmpty();
        }
    }

    /**
     * The consumers measure their own lag, so the lag alert goes silent exactly when every consumer is down (review of
     * issue 16, item 12). Each consumer's input topic (from its own yml) needs an alert that fires on the absence of
     * that measurement: {@code absent(...)}, or a series seen before {@code unless} one seen now. That it fires as
     * meant was checked with promtool's rule tests (docs/deploy-kubernetes.md, section 7); no promtool runs here.
     */
    @Test
    void eachConsumersInputTopicHasAnAlertForWhenNoConsumerReportsItsLag() throws Exception {
        String lag = "kafka_consumer_fetch_manager_records_lag";
        for (String service : List.of("router-service", "publisher-service")) {
            JsonNode config;
            try (InputStream in = getClass().getResourceAsStream("/" + service + ".yml")) {
                config = HelmChart.readYaml(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            String topic = config.path("switchboard")
                    .path(service.equals("router-service") ? "router" : "publisher")
                    .path("input-topic")
                    .asString();
            assertThat(topic).as("%s's input-topic", service).isNotBlank();
            List<String> watching = new ArrayList<>();
            for (MonitoringFiles.Expression e : MonitoringFiles.alertExpressions()) {
                boolean onAbsence = e.promql().matches("(?s).*\\b(absent|absent_over_time|unless)\\b.*");
                boolean selectsTheTopic = PromQl.selectors(e.promql()).stream()
                        .anyMatch(selector -> selector.metric().equals(lag) && selects(selector, "topic", topic));
                if (onAbsence && selectsTheTopic) {
                    watching.add(e.where());
                }
            }
            assertThat(watching)
                    .as("alerts that fire when no consumer of %s (%s) reports %s", topic, service, lag)
                    .isNotEmpty();
        }
    }

    /** Whether a selector's matcher on {@code label} (if any) accepts {@code value}. */
    private static boolean selects(PromQl.Selector selector, String label, String value) {
        String matcher = selector.matchers().get(label);
        if (matcher == null) {
            return true;
        }
        if (matcher.startsWith("=~")) {
            return Pattern.matches(matcher.substring(2), value);
        }
        if (matcher.startsWith("!~")) {
            return !Pattern.matches(matcher.substring(2), value);
        }
        if (matcher.startsWith("!=")) {
            return !matcher.substring(2).equals(value);
        }
        return matcher.substring(1).equals(value);
    }

    @Test
    void theChartsPrometheusRuleCarriesTheSameAlertsFile() throws Exception {
        assertThat(Files.mismatch(MonitoringFiles.alerts(), MonitoringFiles.chartAlerts()))
                .as("deploy/helm/switchboard/files/alerts.yml must be a copy of deploy/prometheus/alerts.yml")
                .isEqualTo(-1L);
    }

    @Test
    void dashboardImportsIntoGrafanaAndEveryPanelHasAQuery() {
        JsonNode dashboard = MonitoringFiles.dashboardJson();
        assertThat(dashboard.path("title").asString()).isNotBlank();
        assertThat(dashboard.path("uid").asString()).matches("[a-zA-Z0-9_-]{1,40}");
        assertThat(dashboard.path("schemaVersion").asInt()).isGreaterThanOrEqualTo(36);
        // the data source is chosen on import, not pinned to one Grafana's uid
        assertThat(dashboard.path("templating").path("list").findValuesAsString("type"))
                .contains("datasource");

        Set<Integer> ids = new HashSet<>();
        List<String> panelsWithoutQuery = new ArrayList<>();
        int panels = 0;
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(ids.add(panel.path("id").asInt()))
                    .as("panel ids are unique")
                    .isTrue();
            assertThat(panel.path("gridPos").path("w").asInt()).isBetween(1, 24);
            if ("row".equals(panel.path("type").asString())) {
                continue;
            }
            panels++;
            assertThat(panel.path("datasource").path("uid").asString()).isEqualTo("${datasource}");
            boolean hasQuery = false;
            for (JsonNode target : panel.path("targets")) {
                hasQuery |= !target.path("expr").asString().isBlank();
            }
            if (!hasQuery) {
                panelsWithoutQuery.add(panel.path("title").asString());
            }
        }
        assertThat(panels).isGreaterThanOrEqualTo(10);
        assertThat(panelsWithoutQuery).as("panels without a query").isEmpty();
        for (MonitoringFiles.Expression e : MonitoringFiles.dashboardExpressions()) {
            assertThat(PromQl.metricNames(e.promql())).as(e.where()).isNotEmpty();
        }
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.propertyNames().forEach(names::add);
        return names;
    }

    /** The hand-written PromQL tokenizer, on the shapes the alerts and the dashboard use. */
    @Nested
    class MetricNamesOfAnExpression {

        @Test
        void aggregationLabelListsAndMatchersAreNotMetrics() {
            assertThat(
                            PromQl.metricNames(
                                    "sum by (job, reason) (increase(switchboard_router_dead_lettered_total{reason!=\"x\"}[15m])) > 0"))
                    .containsExactly("switchboard_router_dead_lettered_total");
        }

        @Test
        void histogramQuantileKeepsTheBucketSeries() {
            assertThat(
                            PromQl.metricNames(
                                    "histogram_quantile(0.99, sum by (job, le) (rate(switchboard_publisher_end_to_end_seconds_bucket[5m]))) > 2"))
                    .containsExactly("switchboard_publisher_end_to_end_seconds_bucket");
        }

        @Test
        void bothSidesOfABinaryOperatorAndMatchingClauses() {
            assertThat(PromQl.metricNames("max by (job) (a_seconds * on (instance) group_left (pod) b_active) > 60"
                            + " and count without (instance) (c_total offset 5m) unless d bool == 1"))
                    .containsExactly("a_seconds", "b_active", "c_total", "d");
        }

        @Test
        void aggregationClauseAfterTheExpression() {
            assertThat(PromQl.metricNames("sum(rate(x_total[1m:10s])) by (le) / ignoring(a) y"))
                    .containsExactly("x_total", "y");
        }

        @Test
        void stringsNumbersAndVariablesAreNotMetrics() {
            assertThat(PromQl.metricNames("label_replace(up, \"dst\", \"$1\", \"src\", \"(.*)\") * 1e3 + 0x1f"
                            + " + rate(z_total[$__rate_interval])"))
                    .containsExactly("up", "z_total");
        }

        @Test
        void aSelectorByNameLabelHasNoBareName() {
            assertThat(PromQl.metricNames("{__name__=~\"switchboard_.*\"}")).isEmpty();
        }

        @Test
        void selectorsCarryTheirLabelMatchers() {
            assertThat(
                            PromQl.selectors(
                                    "max(resilience4j_circuitbreaker_state{name=\"pusher\", state=~\"open|forced_open\"}) + x{topic=~\"a\\\\.b\"}"))
                    .containsExactly(
                            new PromQl.Selector(
                                    "resilience4j_circuitbreaker_state",
                                    Map.of("name", "=pusher", "state", "=~open|forced_open")),
                            new PromQl.Selector("x", Map.of("topic", "=~a\\.b")));
        }

        @Test
        void aRegexSplitsIntoItsAlternativesOutsideGroupsAndClassesOnly() {
            assertThat(PromQl.alternatives("realtime\\.events|realtime\\.publish"))
                    .containsExactly("realtime\\.events", "realtime\\.publish");
            assertThat(PromQl.alternatives("open|forced_open")).containsExactly("open", "forced_open");
            assertThat(PromQl.alternatives("/api/realtime/pusher/.*")).containsExactly("/api/realtime/pusher/.*");
            assertThat(PromQl.alternatives("(a|b)_total|c\\|d|[|x]")).containsExactly("(a|b)_total", "c\\|d", "[|x]");
        }

        @Test
        void unbalancedBracketsAreRefused() {
            assertThatThrownBy(() -> PromQl.metricNames("sum(rate(x[5m)"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("unbalanced");
        }
    }
}
