package io.switchboard.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.switchboard.deploy.helm.HelmChart;
import io.switchboard.deploy.helm.MonitoringFiles;
import io.switchboard.deploy.helm.PromQl;
import io.switchboard.gateway.GatewayApplication;
import io.switchboard.publisher.PublisherApplication;
import io.switchboard.relay.OutboxRelayApplication;
import io.switchboard.router.RouterApplication;
import io.switchboard.testkit.KafkaTestBroker;
import io.switchboard.testkit.KafkaTestClient;
import io.switchboard.testkit.Soketi;
import io.switchboard.testkit.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Every metric the alerts (deploy/prometheus/alerts.yml) and the Grafana dashboard name is one the services really
 * emit: the four services run here as the chart configures them (its routing rules, its gateway channel policy, its
 * management settings), traffic goes through so that meters registered on first use exist (a routed event, a record
 * each stage dead-letters, refused auth attempts), and each service's /actuator/prometheus is read.
 */
class DeployedMetricsIT {

    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** What the chart renders for a production-like install: jwt channel auth with a policy of its own. */
    private static final String CHART_VALUES = """
            gateway:
              auth:
                mode: jwt
                rules:
                  - channel: "private-org.{org_id}"
                    claims: {org_id: org_id}
                  - channel: "private-global"
                    any-caller: true
            """;

    /**
     * The four services share this JVM's classpath, and with it the gateway's Spring Security, which would put a
     * login page in front of the others' Actuator. Each runs alone in its image, without it.
     */
    private static final String NO_GATEWAY_SECURITY = "--spring.autoconfigure.exclude="
            + String.join(
                    ",",
                    "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
                    "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
                    "org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration",
                    "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
                    "org.springframework.boot.security.autoconfigure.actuate.web.servlet"
                            + ".ManagementWebSecurityAutoConfiguration",
                    "org.springframework.boot.security.oauth2.server.resource.autoconfigure.servlet"
                            + ".OAuth2ResourceServerAutoConfiguration");

    /** The gateway's HS256 secret, so that the test can sign a caller's token as the identity provider would. */
    private static final String JWT_SECRET = UUID.randomUUID() + "-" + UUID.randomUUID();

    /**
     * The gateway's rate limits, lowered from the chart's defaults (120 per caller, 600 per address, per 10 s) so
     * that a handful of requests reaches both and their refusal reasons, which the alerts select, are emitted; the
     * periods are long, so the test's requests never straddle two.
     */
    private static final int PER_CALLER = 2;

    private static final int PER_ADDRESS = 12;

    @TempDir
    static Path files;

    private static TestDatabase db;
    private static String kafka;
    private static final Map<String, ConfigurableApplicationContext> services = new LinkedHashMap<>();
    private static List<JsonNode> chart;

    @BeforeAll
    static void startTheServicesAsTheChartConfiguresThem() throws Exception {
        Soketi.ensureRunning();
        kafka = KafkaTestBroker.bootstrapServers();
        db = TestDatabase.postgres();
        chart = HelmChart.documents(HelmChart.template(HelmChart.values(), CHART_VALUES));

        // the router reads the chart's routing rules ConfigMap, as SWITCHBOARD_ROUTES points it at the mounted file
        Path routes = Files.writeString(files.resolve("routes.yml"), configMapData("-routes", "routes.yml"));
        // the gateway reads the chart's channel policy, as SPRING_CONFIG_ADDITIONAL_LOCATION points it at the file
        Path policy = Files.writeString(
                files.resolve("channel-policy.yml"), configMapData("-channel-policy", "channel-policy.yml"));

        List<String> common = List.of(
                "--spring.kafka.bootstrap-servers=" + kafka,
                "--server.port=0",
                "--spring.kafka.consumer.auto-offset-reset=earliest",
                "--REDIS_URL=redis://127.0.0.1:6379",
                NO_GATEWAY_SECURITY);
        services.put(
                "outbox-relay",
                OutboxRelayApplication.builder()
                        .run(args(
                                common,
                                chartManagementSettings("outbox-relay"),
                                "--spring.datasource.url=" + db.jdbcUrl(),
                                "--switchboard.outbox.poll-interval=20ms")));
        services.put(
                "router-service",
                RouterApplication.builder()
                        .run(args(
                                common,
                                chartManagementSettings("router-service"),
                                "--switchboard.router.routes=" + routes)));
        services.put(
                "publisher-service",
                PublisherApplication.builder()
                        .run(args(
                                common,
                                chartManagementSettings("publisher-service"),
                                "--switchboard.pusher.app-id=" + Soketi.APP_ID,
                                "--switchboard.pusher.key=" + Soketi.KEY,
                                "--switchboard.pusher.secret=" + Soketi.SECRET,
                                "--switchboard.pusher.host=127.0.0.1",
                                "--switchboard.pusher.port=" + Soketi.port(),
                                "--switchboard.pusher.scheme=http")));
        services.put(
                "gateway-service",
                GatewayApplication.builder()
                        .run(args(
                                List.of("--server.port=0", "--management.server.port=0"),
                                chartManagementSettings("gateway-service"),
                                "--spring.config.additional-location=file:" + policy,
                                "--switchboard.auth.mode=jwt",
                                "--switchboard.auth.jwt.hs256-secret=" + JWT_SECRET,
                                "--switchboard.limits.per-caller-requests=" + PER_CALLER,
                                "--switchboard.limits.per-caller-period=1h",
                                "--switchboard.limits.per-address-requests=" + PER_ADDRESS,
                                "--switchboard.limits.per-address-period=1h",
                                "--switchboard.pusher.app-id=" + Soketi.APP_ID,
                                "--switchboard.pusher.key=" + Soketi.KEY,
                                "--switchboard.pusher.secret=" + Soketi.SECRET,
                                "--switchboard.pusher.host=127.0.0.1",
                                "--switchboard.pusher.port=" + Soketi.port(),
                                "--switchboard.pusher.scheme=http")));
    }

    @AfterAll
    static void stopTheServices() {
        List<ConfigurableApplicationContext> running = new ArrayList<>(services.values());
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void everyMetricTheAlertsAndTheDashboardNameIsEmittedByTheServices() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        // a good event, through every stage to Soketi
        insertOutboxRow(
                "audit.step_completed",
                "audit-" + run,
                "{\"audit_id\":\"audit-" + run + "\",\"fiche_id\":\"f" + run + "\",\"status\":\"completed\"}");
        // a record the router dead-letters, and one the publisher dead-letters (neither is Avro in its framing)
        try (KafkaProducer<String, byte[]> producer = KafkaTestClient.rawProducer(kafka)) {
            producer.send(new ProducerRecord<>("realtime.events", "bad-" + run, "not avro".getBytes()))
                    .get();
            producer.send(new ProducerRecord<>("realtime.publish", "bad-" + run, "not avro".getBytes()))
                    .get();
        }
        // refused channel auth, one of each reason the alerts select: no token, a token that is not a JWT, one
        // signed with another key (token_signature), a caller over its limit (rate_limited_caller), then an
        // address over its limit (rate_limited_address); and signed ones, which the dashboard's request panel reads
        assertThat(channelAuth("")).isEqualTo(401);
        assertThat(channelAuth("Bearer not-a-jwt")).isEqualTo(401);
        assertThat(channelAuth("Bearer " + token("caller-" + run, "another-key-" + UUID.randomUUID())))
                .isEqualTo(401);
        String caller = "Bearer " + token("caller-" + run, JWT_SECRET);
        for (int i = 0; i < PER_CALLER; i++) {
            assertThat(channelAuth(caller)).as("signed attempt %d", i + 1).isEqualTo(200);
        }
        assertThat(channelAuth(caller))
                .as("one attempt over the caller's limit")
                .isEqualTo(429);
        int sent = 3 + PER_CALLER + 1;
        while (sent < PER_ADDRESS) {
            assertThat(channelAuth("")).isEqualTo(401);
            sent++;
        }
        assertThat(channelAuth("")).as("one request over the address's limit").isEqualTo(429);

        // meters registered on first use, and the consumers' lag once they fetched, before the final reading
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    assertThat(scrape("publisher-service"))
                            .contains(
                                    "switchboard_publisher_published_total",
                                    "switchboard_publisher_dead_lettered_total")
                            .contains("kafka_consumer_fetch_manager_records_lag");
                    assertThat(scrape("router-service"))
                            .contains("switchboard_router_routed_total", "switchboard_router_dead_lettered_total")
                            .contains("kafka_consumer_fetch_manager_records_lag");
                    assertThat(scrape("gateway-service")).contains("switchboard_gateway_auth_refused_total");
                });

        Map<String, List<Map<String, String>>> emitted = new TreeMap<>();
        for (String service : services.keySet()) {
            samples(service)
                    .forEach((name, labels) -> emitted.computeIfAbsent(name, n -> new ArrayList<>())
                            .addAll(labels));
        }
        List<MonitoringFiles.Expression> expressions = new ArrayList<>(MonitoringFiles.alertExpressions());
        expressions.addAll(MonitoringFiles.dashboardExpressions());
        assertThat(expressions).hasSizeGreaterThan(20);
        List<String> missing = new ArrayList<>();
        for (MonitoringFiles.Expression e : expressions) {
            for (PromQl.Selector selector : PromQl.selectors(e.promql())) {
                List<Map<String, String>> series = emitted.get(selector.metric());
                if (series == null) {
                    missing.add(e.where() + " reads " + selector.metric() + ", which no service emits");
                    continue;
                }
                // a matcher on a label the metric does not have, or on a value it never takes, matches nothing;
                // a regex's alternatives are each a value the author expects (reason=~"a|b"), so each must match
                selector.matchers().forEach((label, matcher) -> {
                    if (series.stream().noneMatch(s -> s.containsKey(label))) {
                        missing.add(e.where() + " matches " + selector.metric() + " on label " + label
                                + ", which it does not have");
                    } else if (matcher.startsWith("=~")) {
                        for (String alternative : PromQl.alternatives(matcher.substring(2))) {
                            Pattern value = Pattern.compile(alternative);
                            if (series.stream()
                                    .noneMatch(s -> s.containsKey(label)
                                            && value.matcher(s.get(label)).matches())) {
                                missing.add(e.where() + " matches " + selector.metric() + "{" + label + matcher
                                        + "}, whose alternative " + alternative + " no series' value matches");
                            }
                        }
                    } else if (matcher.startsWith("=")
                            && series.stream()
                                    .noneMatch(s -> matcher.substring(1).equals(s.get(label)))) {
                        missing.add(e.where() + " matches " + selector.metric() + "{" + label + matcher
                                + "}, a value no series has");
                    }
                });
            }
        }
        assertThat(missing)
                .as(
                        "what the alerts and the dashboard read that the services do not emit (emitted: %s)",
                        emitted.keySet())
                .isEmpty();
    }

    @Test
    void theProbesTheChartDeclaresAnswerOnEveryService() throws Exception {
        for (String service : services.keySet()) {
            String port = service.equals("gateway-service")
                    ? port(service, "local.management.port")
                    : port(service, "local.server.port");
            for (String path : probePaths(service)) {
                HttpResponse<String> answer = HTTP.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode()).as(service + " " + path).isEqualTo(200);
                assertThat(answer.body()).as(service + " " + path).contains("\"status\":\"UP\"");
            }
        }
    }

    /** POST /api/realtime/pusher/auth for private-global (any caller may read it), with this Authorization. */
    private static int channelAuth(String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + port("gateway-service", "local.server.port") + "/api/realtime/pusher/auth"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("socket_id=123.456&channel_name=private-global"));
        if (!authorization.isEmpty()) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    /** An HS256 token for {@code subject}, valid for ten minutes, signed with {@code key}. */
    private static String token(String subject, String key) throws Exception {
        SignedJWT jwt = new SignedJWT(
                new JWSHeader(JWSAlgorithm.HS256),
                new JWTClaimsSet.Builder()
                        .subject(subject)
                        .issueTime(Date.from(Instant.now().minusSeconds(60)))
                        .expirationTime(Date.from(Instant.now().plusSeconds(600)))
                        .build());
        jwt.sign(new MACSigner(key.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    /** The sample names of a service's /actuator/prometheus. */
    private static Set<String> scrape(String service) throws Exception {
        return samples(service).keySet();
    }

    /** Each sample name of a service's /actuator/prometheus (Prometheus's text format), with its series' labels. */
    private static Map<String, List<Map<String, String>>> samples(String service) throws Exception {
        String port = service.equals("gateway-service")
                ? port(service, "local.management.port")
                : port(service, "local.server.port");
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"))
                        .header("Accept", "text/plain;version=0.0.4")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(service + " /actuator/prometheus").isEqualTo(200);
        Map<String, List<Map<String, String>>> samples = new TreeMap<>();
        for (String line : response.body().split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int end = 0;
            while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
                end++;
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (end < line.length() && line.charAt(end) == '{') {
                Matcher label = LABEL.matcher(line.substring(end + 1, line.lastIndexOf('}')));
                while (label.find()) {
                    labels.put(
                            label.group(1), label.group(2).replace("\\\"", "\"").replace("\\\\", "\\"));
                }
            }
            samples.computeIfAbsent(line.substring(0, end), n -> new ArrayList<>())
                    .add(labels);
        }
        return samples;
    }

    private static String port(String service, String property) {
        return services.get(service).getEnvironment().getProperty(property);
    }

    private static JsonNode container(String component) {
        return chart.stream()
                .filter(d -> d.path("kind").asString().matches("Deployment|StatefulSet"))
                .filter(d -> component.equals(d.at("/metadata/labels")
                        .path("app.kubernetes.io/component")
                        .asString()))
                .findFirst()
                .orElseThrow()
                .at("/spec/template/spec/containers/0");
    }

    /** The chart's MANAGEMENT_* variables of a container, as the properties Spring binds them to. */
    private static List<String> chartManagementSettings(String component) {
        List<String> settings = new ArrayList<>();
        for (JsonNode env : container(component).path("env")) {
            String name = env.path("name").asString();
            if (name.startsWith("MANAGEMENT_") && env.has("value")) {
                settings.add("--" + name.toLowerCase(Locale.ROOT).replace('_', '.') + "="
                        + env.path("value").asString());
            }
        }
        return settings;
    }

    private static List<String> probePaths(String component) {
        JsonNode c = container(component);
        return List.of(
                c.at("/livenessProbe/httpGet/path").asString(),
                c.at("/readinessProbe/httpGet/path").asString(),
                c.at("/startupProbe/httpGet/path").asString());
    }

    private static String configMapData(String nameSuffix, String key) {
        return chart.stream()
                .filter(d -> d.path("kind").asString().equals("ConfigMap"))
                .filter(d -> d.at("/metadata/name").asString().endsWith(nameSuffix))
                .findFirst()
                .orElseThrow(() -> new AssertionError("the chart rendered no ConfigMap *" + nameSuffix))
                .at("/data")
                .path(key)
                .asString();
    }

    private static String[] args(List<String> common, List<String> chartSettings, String... more) {
        List<String> all = new ArrayList<>(common);
        all.addAll(chartSettings);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    private static void insertOutboxRow(String type, String aggregateId, String payload) throws Exception {
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO switchboard_outbox (type, source, aggregate_type, aggregate_id, payload)"
                            + " VALUES (?, 'audit-service', 'audit', ?, CAST(? AS jsonb))")) {
                insert.setString(1, type);
                insert.setString(2, aggregateId);
                insert.setString(3, payload);
                insert.executeUpdate();
            }
            c.commit();
        }
    }
}
