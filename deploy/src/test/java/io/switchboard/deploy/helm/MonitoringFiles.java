package io.switchboard.deploy.helm;

import io.switchboard.testkit.ProjectRoot;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** deploy/prometheus/alerts.yml and the Grafana dashboard, and the PromQL each of them holds. */
public final class MonitoringFiles {

    /** One PromQL expression and where it is (an alert's name, a panel's title). */
    public record Expression(String where, String promql) {}

    private MonitoringFiles() {}

    public static Path alerts() {
        return ProjectRoot.path().resolve("deploy/prometheus/alerts.yml");
    }

    /** The chart's copy of the alerts, for its PrometheusRule (Helm reads files inside the chart only). */
    public static Path chartAlerts() {
        return HelmChart.dir().resolve("files/alerts.yml");
    }

    public static Path dashboard() {
        return ProjectRoot.path().resolve("deploy/grafana/switchboard-dashboard.json");
    }

    public static JsonNode alertsYaml() {
        return HelmChart.readYaml(alerts());
    }

    public static JsonNode dashboardJson() {
        return JsonMapper.builder().build().readTree(dashboard().toFile());
    }

    public static List<Expression> alertExpressions() {
        List<Expression> expressions = new ArrayList<>();
        for (JsonNode group : alertsYaml().path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                String name = rule.has("alert")
                        ? rule.get("alert").asString()
                        : rule.path("record").asString();
                expressions.add(
                        new Expression("alert " + name, rule.path("expr").asString()));
            }
        }
        return expressions;
    }

    /** Every panel's targets, rows' nested panels included. */
    public static List<Expression> dashboardExpressions() {
        List<Expression> expressions = new ArrayList<>();
        collect(dashboardJson().path("panels"), expressions);
        return expressions;
    }

    private static void collect(JsonNode panels, List<Expression> into) {
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                into.add(new Expression(
                        "panel '" + panel.path("title").asString() + "'",
                        target.path("expr").asString()));
            }
            collect(panel.path("panels"), into);
        }
    }
}
