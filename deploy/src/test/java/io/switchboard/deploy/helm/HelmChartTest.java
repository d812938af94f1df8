package io.switchboard.deploy.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.switchboard.deploy.LaunchedService;
import io.switchboard.router.routing.RoutingTable;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * The Helm chart, linted and rendered by Helm itself, every manifest parsed strictly with the Kubernetes model, and
 * what a platform engineer relies on checked in what it renders: resources, probes, security contexts, secrets by
 * reference, the routing rules' ConfigMap, disruption budgets, network policies and autoscaling within the
 * partitions.
 */
class HelmChartTest {

    private static final List<String> COMPONENTS =
            List.of("outbox-relay", "router-service", "publisher-service", "gateway-service");

    /** Each component's key in values.yaml. */
    private static final Map<String, String> VALUES_KEY = Map.of(
            "outbox-relay", "relay",
            "router-service", "router",
            "publisher-service", "publisher",
            "gateway-service", "gateway");

    /** Environment variables that hold secrets (the chart's switchboard.secretEnvNames). */
    private static final Set<String> SECRET_ENV = Set.of(
            "DATABASE_URL",
            "PUSHER_SECRET",
            "REDIS_URL",
            "PUSHER_ENCRYPTION_MASTER_KEY_BASE64",
            "SCHEMA_REGISTRY_URL",
            "SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG",
            "SWITCHBOARD_JWT_HS256_SECRET",
            "SWITCHBOARD_OPERATOR_TOKEN");

    /** Every toggle the chart has, on at once. */
    private static final String EVERYTHING_ON = """
            image: {registry: ghcr.io/acme, tag: "1.2.3"}
            kafka:
              partitions: 6
              properties: {security.protocol: SASL_SSL, sasl.mechanism: SCRAM-SHA-512}
            pusher: {appId: "123456", key: app-key, cluster: eu}
            networkPolicy:
              gatewayFrom:
                - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ingress-nginx}}
              egress:
                - to: [{ipBlock: {cidr: 10.20.0.0/16}}]
                  ports: [{port: 9093, protocol: TCP}, {port: 5432, protocol: TCP}]
            router:
              routes: |
                rules:
                  - name: audits
                    types: ["audit.*"]
                    channels: ["audit-{audit_id}"]
              autoscaling:
                maxReplicas: 6
                keda: {authenticationRef: kafka-sasl, extraMetadata: {sasl: scram_sha512, tls: enable}}
              env: {LOGGING_LEVEL_IO_SWITCHBOARD: DEBUG}
            publisher:
              concurrency: 2
              autoscaling: {mode: hpa, maxReplicas: 3}
            gateway:
              auth:
                mode: jwt
                jwksUrl: https://id.example.com/.well-known/jwks.json
                issuer: https://id.example.com/
                audience: realtime
                rules:
                  - channel: "private-org.{org_id}"
                    claims: {org_id: org_id}
                  - channel: "private-global"
                    any-caller: true
              autoscaling: {enabled: true}
              ingress: {enabled: true, className: nginx, host: realtime.example.com, tlsSecretName: realtime-tls}
            monitoring:
              serviceMonitor: {enabled: true, labels: {release: prometheus}, gatewayToken: true}
              prometheusRule: {enabled: true}
            """;

    static Stream<Arguments> renderings() {
        return Stream.of(
                Arguments.of("defaults (KEDA on both consumers)", HelmChart.values(), null),
                Arguments.of(
                        "HPA on CPU instead of KEDA",
                        HelmChart.values("router.autoscaling.mode", "hpa", "publisher.autoscaling.mode", "hpa"),
                        null),
                Arguments.of(
                        "fixed replicas",
                        HelmChart.values(
                                "router.autoscaling.mode",
                                "none",
                                "publisher.autoscaling.mode",
                                "none",
                                "router.replicas",
                                3),
                        null),
                Arguments.of(
                        "Deployments for the consumers",
                        HelmChart.values("router.workload", "Deployment", "publisher.workload", "Deployment"),
                        null),
                Arguments.of("no network policies", HelmChart.values("networkPolicy.enabled", false), null),
                Arguments.of("every toggle on", HelmChart.values(), EVERYTHING_ON));
    }

    @Test
    void helmLintStrictPasses() {
        LintResult lint = HelmChart.lintStrict();
        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
        assertThat(lint.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void rendersManifestsKubernetesAcceptsAndThatHoldTheChartsPromises(
            String name, Map<String, Object> values, String valuesYaml) {
        Rendering r = Rendering.of(HelmChart.template(values, valuesYaml));

        assertThat(r.kinds()).doesNotContain("Secret");
        for (String component : COMPONENTS) {
            PodTemplateSpec pod = r.podTemplate(component);
            Map<String, String> podLabels = pod.getMetadata().getLabels();
            selects(
                    "the PodDisruptionBudget of " + component,
                    r.onlyOne(PodDisruptionBudget.class, component)
                            .getSpec()
                            .getSelector()
                            .getMatchLabels(),
                    podLabels);
            selects(
                    "the Service of " + component,
                    r.onlyOne(Service.class, component).getSpec().getSelector(),
                    podLabels);
            if (!name.equals("no network policies")) {
                NetworkPolicy policy = r.onlyOne(NetworkPolicy.class, component);
                selects(
                        "the NetworkPolicy of " + component,
                        policy.getSpec().getPodSelector().getMatchLabels(),
                        podLabels);
                assertThat(policy.getSpec().getPolicyTypes()).contains("Ingress");
            }
            checkPod(component, pod.getSpec());
        }
        assertThat(r.all(NetworkPolicy.class)).hasSize(name.equals("no network policies") ? 0 : 4);
        checkAutoscalers(r, values, valuesYaml);
    }

    /**
     * Every variable the chart sets on a service is one the service reads (review of issue 16, item 8): a misspelt or
     * outdated name would be ignored without a word, and the setting would silently keep its default. Asked of the
     * services themselves (their placeholders and kafka-support's, the properties Spring binds), as ComposeFileTest
     * does for the compose file.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void everyVariableTheChartSetsIsOneTheServiceReads(String name, Map<String, Object> values, String valuesYaml) {
        Rendering r = Rendering.of(HelmChart.template(values, valuesYaml));
        JsonNode yaml = valuesYaml == null ? HelmChart.readYaml("{}") : HelmChart.readYaml(valuesYaml);
        List<String> ignored = new ArrayList<>();
        for (String component : COMPONENTS) {
            ServiceEnvironment service = new ServiceEnvironment(LaunchedService.named(component));
            // a component's `env` is the installer's own, passed through as given
            String key = VALUES_KEY.get(component);
            Set<String> installers = new HashSet<>(yaml.path(key).path("env").propertyNames());
            values.keySet().stream()
                    .filter(k -> k.startsWith(key + ".env."))
                    .forEach(k -> installers.add(k.substring((key + ".env.").length())));
            for (EnvVar env : r.container(component).getEnv()) {
                if (!installers.contains(env.getName()) && !service.reads(env.getName())) {
                    ignored.add(component + ": " + env.getName());
                }
            }
        }
        assertThat(ignored)
                .as(
                        "variables the chart sets that no service reads (a placeholder, a bound property or the platform's)")
                .isEmpty();
    }

    @Test
    void aVariableNoServiceReadsIsCaught() {
        ServiceEnvironment router = new ServiceEnvironment(LaunchedService.named("router-service"));
        assertThat(router.reads("PUSHER_MAX_PAYLOAD_BYTES")).as("a placeholder").isTrue();
        assertThat(router.reads("SWITCHBOARD_INSTANCE_ID"))
                .as("kafka-support's placeholder")
                .isTrue();
        assertThat(router.reads("SWITCHBOARD_TOPICS_PARTITIONS"))
                .as("kafka-support's property")
                .isTrue();
        assertThat(router.reads("SPRING_KAFKA_CONSUMER_GROUP_ID"))
                .as("a property of its yml")
                .isTrue();
        assertThat(router.reads("PUSHER_MAX_PAYLOAD_BYTE")).as("misspelt").isFalse();
        assertThat(router.reads("SWITCHBOARD_TOPICS_PARTITION")).as("misspelt").isFalse();
        assertThat(router.reads("SWITCHBOARD_OUTBOX_TABLE")).as("the relay's").isFalse();
        ServiceEnvironment gateway = new ServiceEnvironment(LaunchedService.named("gateway-service"));
        assertThat(gateway.reads("SWITCHBOARD_JWT_ISSUER")).isTrue();
        assertThat(gateway.reads("SWITCHBOARD_PUBLISH_CONCURRENCY"))
                .as("the publisher's")
                .isFalse();
    }

    private static void selects(String what, Map<String, String> selector, Map<String, String> labels) {
        assertThat(selector).as(what + " has a selector").isNotEmpty();
        assertThat(labels).as(what + " selects the pods").containsAllEntriesOf(selector);
    }

    private static void checkPod(String component, PodSpec pod) {
        assertThat(pod.getAutomountServiceAccountToken()).as(component).isFalse();
        assertThat(pod.getSecurityContext().getRunAsNonRoot())
                .as(component + " runAsNonRoot")
                .isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser())
                .as(component + " runAsUser")
                .isPositive();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(pod.getContainers()).hasSize(1);
        assertThat(pod.getInitContainers()).isEmpty();
        for (Container c : pod.getContainers()) {
            String where = component + "/" + c.getName();
            for (String resource : List.of("cpu", "memory")) {
                Quantity request = c.getResources().getRequests().get(resource);
                Quantity limit = c.getResources().getLimits().get(resource);
                assertThat(request).as(where + " requests." + resource).isNotNull();
                assertThat(limit).as(where + " limits." + resource).isNotNull();
                assertThat(request.getNumericalAmount())
                        .as(where + " " + resource + " request within its limit")
                        .isPositive()
                        .isLessThanOrEqualTo(limit.getNumericalAmount());
            }
            assertThat(c.getSecurityContext().getAllowPrivilegeEscalation())
                    .as(where)
                    .isFalse();
            assertThat(c.getSecurityContext().getReadOnlyRootFilesystem())
                    .as(where)
                    .isTrue();
            assertThat(c.getSecurityContext().getCapabilities().getDrop())
                    .as(where)
                    .containsExactly("ALL");
            assertThat(c.getSecurityContext().getPrivileged()).as(where).isNotEqualTo(Boolean.TRUE);

            List<String> ports =
                    c.getPorts().stream().map(ContainerPort::getName).toList();
            assertActuatorProbe(where + " liveness", c.getLivenessProbe(), "/actuator/health/liveness", ports);
            assertActuatorProbe(where + " readiness", c.getReadinessProbe(), "/actuator/health/readiness", ports);
            assertActuatorProbe(where + " startup", c.getStartupProbe(), "/actuator/health/liveness", ports);

            // a read-only root: the JVM, Tomcat and Netty write to /tmp, which must be a volume of its own
            VolumeMount tmp = c.getVolumeMounts().stream()
                    .filter(m -> m.getMountPath().equals("/tmp"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(where + " has no /tmp volume"));
            Volume tmpVolume = pod.getVolumes().stream()
                    .filter(v -> v.getName().equals(tmp.getName()))
                    .findFirst()
                    .orElseThrow();
            assertThat(tmpVolume.getEmptyDir())
                    .as(where + " /tmp is an emptyDir")
                    .isNotNull();

            for (EnvVar env : c.getEnv()) {
                if (SECRET_ENV.contains(env.getName())) {
                    assertThat(env.getValue())
                            .as(where + " " + env.getName() + " is never a value")
                            .isNull();
                    assertThat(env.getValueFrom().getSecretKeyRef().getName())
                            .as(where + " " + env.getName())
                            .isEqualTo("switchboard");
                    assertThat(env.getValueFrom().getSecretKeyRef().getKey()).isEqualTo(env.getName());
                }
            }
        }
    }

    private static void assertActuatorProbe(String where, Probe probe, String path, List<String> ports) {
        assertThat(probe).as(where).isNotNull();
        assertThat(probe.getHttpGet().getPath()).as(where).isEqualTo(path);
        assertThat(probe.getHttpGet().getPort().getStrVal())
                .as(where + " probes a port the container declares")
                .isIn(ports);
    }

    private static void checkAutoscalers(Rendering r, Map<String, Object> values, String valuesYaml) {
        for (JsonNode scaledObject : r.scaledObjects()) {
            assertThat(KedaScaledObjects.problems(scaledObject))
                    .as(
                            "ScaledObject %s",
                            scaledObject.path("metadata").path("name").asString())
                    .isEmpty();
            HasMetadata target = r.byName(scaledObject
                    .path("spec")
                    .path("scaleTargetRef")
                    .path("name")
                    .asString());
            assertThat(target.getKind())
                    .isEqualTo(scaledObject
                            .path("spec")
                            .path("scaleTargetRef")
                            .path("kind")
                            .asString());
            assertThat(replicas(target))
                    .as("an autoscaled workload leaves replicas to the autoscaler")
                    .isNull();
        }
        for (HorizontalPodAutoscaler hpa : r.all(HorizontalPodAutoscaler.class)) {
            HasMetadata target = r.byName(hpa.getSpec().getScaleTargetRef().getName());
            assertThat(target.getKind())
                    .isEqualTo(hpa.getSpec().getScaleTargetRef().getKind());
            assertThat(replicas(target)).isNull();
            assertThat(hpa.getSpec().getMinReplicas())
                    .isPositive()
                    .isLessThanOrEqualTo(hpa.getSpec().getMaxReplicas());
        }
        int partitions = valuesYaml != null && valuesYaml.contains("partitions: 6") ? 6 : 3;
        for (String consumer : List.of("router-service", "publisher-service")) {
            int perPod = consumer.equals("publisher-service") ? concurrency(r) : 1;
            int most = r.scaledObjects().stream()
                    .filter(so -> so.path("metadata").path("name").asString().endsWith(consumer))
                    .mapToInt(so -> so.path("spec").path("maxReplicaCount").asInt())
                    .sum();
            most += r.all(HorizontalPodAutoscaler.class).stream()
                    .filter(h -> h.getMetadata().getName().endsWith(consumer))
                    .mapToInt(h -> h.getSpec().getMaxReplicas())
                    .sum();
            if (most == 0) {
                most = Objects.requireNonNull(replicas(r.workload(consumer)));
            }
            assertThat(most * perPod)
                    .as("%s: replicas x consumers per pod, at most the partitions", consumer)
                    .isLessThanOrEqualTo(partitions);
        }
    }

    private static int concurrency(Rendering r) {
        return Integer.parseInt(env(r.container("publisher-service"), "SWITCHBOARD_PUBLISH_CONCURRENCY"));
    }

    private static Integer replicas(HasMetadata workload) {
        return workload instanceof Deployment d
                ? d.getSpec().getReplicas()
                : ((StatefulSet) workload).getSpec().getReplicas();
    }

    @Test
    void byDefaultKedaScalesTheRouterAndThePublisherOnTheirOwnGroupsLag() throws Exception {
        Rendering r = Rendering.of(HelmChart.template(HelmChart.values()));
        assertThat(r.all(HorizontalPodAutoscaler.class)).isEmpty();
        assertThat(r.scaledObjects()).hasSize(2);
        for (String service : List.of("router-service", "publisher-service")) {
            JsonNode so = r.scaledObjects().stream()
                    .filter(o -> o.path("metadata").path("name").asString().endsWith(service))
                    .findFirst()
                    .orElseThrow();
            JsonNode serviceYaml;
            try (InputStream in = getClass().getResourceAsStream("/" + service + ".yml")) {
                serviceYaml = HelmChart.readYaml(new String(in.readAllBytes()));
            }
            JsonNode consumer = serviceYaml.path("spring").path("kafka").path("consumer");
            String inputTopic = serviceYaml
                    .path("switchboard")
                    .path(service.equals("router-service") ? "router" : "publisher")
                    .path("input-topic")
                    .asString();
            JsonNode trigger = so.path("spec").path("triggers").get(0);
            assertThat(trigger.path("type").asString()).isEqualTo("kafka");
            JsonNode metadata = trigger.path("metadata");
            assertThat(metadata.path("consumerGroup").asString())
                    .isEqualTo(consumer.path("group-id").asString());
            assertThat(metadata.path("topic").asString()).isEqualTo(inputTopic);
            assertThat(metadata.path("offsetResetPolicy").asString())
                    .isEqualTo(consumer.path("auto-offset-reset").asString());
            assertThat(metadata.path("bootstrapServers").asString()).isEqualTo("kafka-0.kafka:9092,kafka-1.kafka:9092");
            assertThat(so.path("spec").path("maxReplicaCount").asInt()).isEqualTo(3);
            assertThat(so.path("spec").path("minReplicaCount").asInt()).isEqualTo(1);
            assertThat(so.path("spec").path("scaleTargetRef").path("kind").asString())
                    .isEqualTo("StatefulSet");
        }
    }

    @Test
    void theSchemaCheckRefusesWhatKedaWouldIgnoreOrRefuse() {
        Rendering r = Rendering.of(HelmChart.template(HelmChart.values()));
        JsonNode so = r.scaledObjects().get(0);

        tools.jackson.databind.node.ObjectNode misspelt = (tools.jackson.databind.node.ObjectNode) so.deepCopy();
        ((tools.jackson.databind.node.ObjectNode) misspelt.get("spec")).put("maxReplicas", 3);
        assertThat(KedaScaledObjects.problems(misspelt)).anyMatch(p -> p.contains("maxReplicas"));

        tools.jackson.databind.node.ObjectNode badKey = (tools.jackson.databind.node.ObjectNode) so.deepCopy();
        ((tools.jackson.databind.node.ObjectNode) badKey.at("/spec/triggers/0/metadata")).put("lagTreshold", "5");
        assertThat(KedaScaledObjects.problems(badKey))
                .containsExactly("spec.triggers[0].metadata.lagTreshold is not a parameter of KEDA's Kafka scaler");

        tools.jackson.databind.node.ObjectNode notAString = (tools.jackson.databind.node.ObjectNode) so.deepCopy();
        ((tools.jackson.databind.node.ObjectNode) notAString.at("/spec/triggers/0/metadata")).put("lagThreshold", 5);
        assertThat(KedaScaledObjects.problems(notAString)).isNotEmpty();
    }

    @Test
    void theHpaAlternativeScalesOnCpuWithinThePartitions() {
        Rendering r = Rendering.of(HelmChart.template(
                HelmChart.values("router.autoscaling.mode", "hpa", "publisher.autoscaling.mode", "hpa")));
        assertThat(r.scaledObjects()).isEmpty();
        List<HorizontalPodAutoscaler> hpas = r.all(HorizontalPodAutoscaler.class);
        assertThat(hpas).hasSize(2);
        for (HorizontalPodAutoscaler hpa : hpas) {
            assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(3);
            assertThat(hpa.getSpec().getMetrics()).singleElement().satisfies(m -> {
                assertThat(m.getResource().getName()).isEqualTo("cpu");
                assertThat(m.getResource().getTarget().getAverageUtilization()).isEqualTo(70);
            });
            // a static member that leaves holds its partitions for the session: one pod a minute at most
            assertThat(hpa.getSpec().getBehavior().getScaleDown().getPolicies())
                    .singleElement()
                    .satisfies(p -> assertThat(p.getValue()).isEqualTo(1));
        }
    }

    @Test
    void moreReplicasThanPartitionsFailsTheRenderAndSaysWhy() {
        assertThatThrownBy(() -> HelmChart.template(HelmChart.values("router.autoscaling.maxReplicas", 4)))
                .hasMessageContaining(
                        "router.autoscaling.maxReplicas (4) x consumers per pod (1) exceeds" + " kafka.partitions (3)")
                .hasMessageContaining("gets no partition and does nothing")
                .hasMessageContaining("lower router.autoscaling.maxReplicas to at most 3");
        assertThatThrownBy(() -> HelmChart.template(
                        HelmChart.values("publisher.concurrency", 2, "publisher.autoscaling.maxReplicas", 2)))
                .hasMessageContaining("publisher.autoscaling.maxReplicas (2) x consumers per pod (2) exceeds"
                        + " kafka.partitions (3)");
        assertThatThrownBy(() ->
                        HelmChart.template(HelmChart.values("router.autoscaling.mode", "none", "router.replicas", 4)))
                .hasMessageContaining("router.replicas (4) x consumers per pod (1) exceeds kafka.partitions (3)");

        // with the partitions raised, the same maximum renders as it was given
        Rendering r = Rendering.of(
                HelmChart.template(HelmChart.values("kafka.partitions", 6, "router.autoscaling.maxReplicas", 6)));
        assertThat(r.scaledObjects())
                .filteredOn(so -> so.path("metadata").path("name").asString().endsWith("router-service"))
                .singleElement()
                .satisfies(
                        so -> assertThat(so.path("spec").path("maxReplicaCount").asInt())
                                .isEqualTo(6));
        assertThat(env(r.container("router-service"), "SWITCHBOARD_TOPICS_PARTITIONS"))
                .isEqualTo("6");
    }

    @Test
    void scalingToZeroIsRefused() {
        assertThatThrownBy(() -> HelmChart.template(HelmChart.values("publisher.autoscaling.minReplicas", 0)))
                .hasMessageContaining("publisher.autoscaling.minReplicas must be at least 1");
    }

    @Test
    void secretsAreReferencedNeverEmbedded() {
        String secret = "jdbc:postgresql://db:5432/app?user=sb&password=hunter2-" + System.nanoTime();
        assertThatThrownBy(() -> HelmChart.template(HelmChart.values("relay.env.DATABASE_URL", secret)))
                .hasMessageContaining("relay.env.DATABASE_URL: a secret may not be given as a value")
                .hasMessageContaining("put it in the Secret \"switchboard\" under the key DATABASE_URL")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
        assertThatThrownBy(() -> HelmChart.template(HelmChart.values("gateway.env.ACME_API_TOKEN", "t0ken-value")))
                .hasMessageContaining("gateway.env.ACME_API_TOKEN: a secret may not be given as a value")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("t0ken-value"));

        // the Secret's name is a value; every secret variable of every service comes from it
        Rendering r = Rendering.of(HelmChart.template(HelmChart.values("secretName", "switchboard-prod")));
        Map<String, Set<String>> expected = Map.of(
                "outbox-relay",
                        Set.of("DATABASE_URL", "SCHEMA_REGISTRY_URL", "SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG"),
                "router-service",
                        Set.of("REDIS_URL", "SCHEMA_REGISTRY_URL", "SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG"),
                "publisher-service",
                        Set.of(
                                "PUSHER_SECRET",
                                "PUSHER_ENCRYPTION_MASTER_KEY_BASE64",
                                "REDIS_URL",
                                "SCHEMA_REGISTRY_URL",
                                "SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG"),
                "gateway-service",
                        Set.of(
                                "PUSHER_SECRET",
                                "PUSHER_ENCRYPTION_MASTER_KEY_BASE64",
                                "SWITCHBOARD_JWT_HS256_SECRET",
                                "SWITCHBOARD_OPERATOR_TOKEN"));
        expected.forEach((component, names) -> {
            List<EnvVar> fromSecret = r.container(component).getEnv().stream()
                    .filter(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
                    .toList();
            assertThat(fromSecret).extracting(EnvVar::getName).containsExactlyInAnyOrderElementsOf(names);
            assertThat(fromSecret)
                    .allSatisfy(
                            e -> assertThat(e.getValueFrom().getSecretKeyRef().getName())
                                    .isEqualTo("switchboard-prod"));
        });
        // what a service cannot start without is required, so a missing key stops the pod where kubectl shows it
        assertThat(r.container("outbox-relay").getEnv())
                .filteredOn(e -> e.getName().equals("DATABASE_URL"))
                .singleElement()
                .satisfies(e -> assertThat(e.getValueFrom().getSecretKeyRef().getOptional())
                        .isFalse());
        assertThat(r.container("publisher-service").getEnv())
                .filteredOn(e -> e.getName().equals("PUSHER_SECRET"))
                .singleElement()
                .satisfies(e -> assertThat(e.getValueFrom().getSecretKeyRef().getOptional())
                        .isFalse());

        // and plain settings still pass as values
        Rendering plain = Rendering.of(HelmChart.template(HelmChart.values("relay.env.LOGGING_LEVEL_ROOT", "WARN")));
        assertThat(env(plain.container("outbox-relay"), "LOGGING_LEVEL_ROOT")).isEqualTo("WARN");
    }

    @Test
    void theRoutingRulesComeFromAConfigMapTheRouterReadsAtStartUp(@TempDir Path dir) throws Exception {
        Rendering r = Rendering.of(HelmChart.template(HelmChart.values()));
        Container router = r.container("router-service");
        Path routes = Path.of(env(router, "SWITCHBOARD_ROUTES"));
        VolumeMount mount = router.getVolumeMounts().stream()
                .filter(m -> routes.startsWith(m.getMountPath()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("SWITCHBOARD_ROUTES=" + routes + " is on no mounted volume"));
        assertThat(mount.getReadOnly()).isTrue();
        Volume volume = r.podTemplate("router-service").getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals(mount.getName()))
                .findFirst()
                .orElseThrow();
        ConfigMap configMap = r.byName(volume.getConfigMap().getName(), ConfigMap.class);
        String file = Path.of(mount.getMountPath()).relativize(routes).toString();
        String rules = configMap.getData().get(file);
        assertThat(rules).as("the ConfigMap holds " + file).isNotBlank();

        // the default is the router's own built-in table, and the router accepts it
        try (InputStream builtIn = RoutingTable.class.getResourceAsStream("/switchboard/routes.yml")) {
            assertThat(HelmChart.readYaml(rules)).isEqualTo(HelmChart.readYaml(new String(builtIn.readAllBytes())));
        }
        Path written = Files.writeString(dir.resolve("routes.yml"), rules);
        assertThat(RoutingTable.load(written, true).rules())
                .extracting(rule -> rule.name())
                .contains("audits", "fallback");

        // rules given as a value replace it, and a change rolls the router's pods (it reads them at start-up)
        String custom =
                "rules:\n  - name: only-audits\n    types: [\"audit.*\"]\n    channels: [\"audit-{audit_id}\"]\n";
        Rendering customised =
                Rendering.of(HelmChart.template(HelmChart.values(), "router:\n  routes: |\n" + custom.indent(4)));
        assertThat(customised
                        .byName(volume.getConfigMap().getName(), ConfigMap.class)
                        .getData()
                        .get(file))
                .isEqualTo(custom);
        assertThat(RoutingTable.load(Files.writeString(dir.resolve("custom.yml"), custom), true)
                        .rules())
                .extracting(rule -> rule.name())
                .containsExactly("only-audits");
        assertThat(customised
                        .podTemplate("router-service")
                        .getMetadata()
                        .getAnnotations()
                        .get("checksum/routes"))
                .isNotBlank()
                .isNotEqualTo(r.podTemplate("router-service")
                        .getMetadata()
                        .getAnnotations()
                        .get("checksum/routes"));
    }

    @Test
    void theGatewayServesBrowsersOnOnePortAndProbesOnItsManagementPort() {
        Rendering r = Rendering.of(HelmChart.template(HelmChart.values(), EVERYTHING_ON));
        Container gateway = r.container("gateway-service");
        assertThat(gateway.getLivenessProbe().getHttpGet().getPort().getStrVal())
                .isEqualTo("management");
        assertThat(env(gateway, "SWITCHBOARD_MANAGEMENT_ADDRESS")).isEqualTo("0.0.0.0");
        assertThat(env(gateway, "SWITCHBOARD_AUTH_MODE")).isEqualTo("jwt");
        assertThat(gateway.getEnv()).extracting(EnvVar::getName).doesNotContain("KAFKA_BOOTSTRAP_SERVERS");

        Ingress ingress = r.onlyOne(Ingress.class, "gateway-service");
        assertThat(ingress.getSpec().getRules()).singleElement().satisfies(rule -> {
            assertThat(rule.getHost()).isEqualTo("realtime.example.com");
            assertThat(rule.getHttp().getPaths()).singleElement().satisfies(path -> {
                assertThat(path.getPath()).isEqualTo("/api/realtime/pusher");
                assertThat(path.getBackend().getService().getPort().getName()).isEqualTo("http");
            });
        });
        assertThat(ingress.getSpec().getTls())
                .singleElement()
                .satisfies(tls -> assertThat(tls.getSecretName()).isEqualTo("realtime-tls"));

        // the channel policy: an extra Spring config file from a ConfigMap, which replaces the built-in rules
        String location = env(gateway, "SPRING_CONFIG_ADDITIONAL_LOCATION");
        assertThat(location).startsWith("file:");
        Path policyFile = Path.of(location.substring("file:".length()));
        VolumeMount mount = gateway.getVolumeMounts().stream()
                .filter(m -> policyFile.startsWith(m.getMountPath()))
                .findFirst()
                .orElseThrow();
        Volume volume = r.podTemplate("gateway-service").getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals(mount.getName()))
                .findFirst()
                .orElseThrow();
        String policy = r.byName(volume.getConfigMap().getName(), ConfigMap.class)
                .getData()
                .get(policyFile.getFileName().toString());
        JsonNode rules = HelmChart.readYaml(policy).at("/switchboard/auth/rules");
        assertThat(rules.get(0).path("channel").asString()).isEqualTo("private-org.{org_id}");
        assertThat(rules.get(0).path("claims").path("org_id").asString()).isEqualTo("org_id");
        assertThat(rules.get(1).path("any-caller").asBoolean()).isTrue();

        assertThatThrownBy(() -> HelmChart.template(HelmChart.values("gateway.auth.mode", "names-only")))
                .hasMessageContaining("gateway.auth.mode must be deny or jwt");
    }

    @Test
    void monitoringTogglesRenderServiceMonitorsAndTheAlertsAsAPrometheusRule() {
        Rendering r = Rendering.of(HelmChart.template(HelmChart.values(), EVERYTHING_ON));
        List<ServiceMonitor> monitors = r.all(ServiceMonitor.class);
        assertThat(monitors).hasSize(4);
        for (String component : COMPONENTS) {
            ServiceMonitor monitor = r.onlyOne(ServiceMonitor.class, component);
            Service service = r.onlyOne(Service.class, component);
            assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "prometheus");
            selects(
                    "the ServiceMonitor of " + component,
                    monitor.getSpec().getSelector().getMatchLabels(),
                    service.getMetadata().getLabels());
            assertThat(monitor.getSpec().getEndpoints()).singleElement().satisfies(endpoint -> {
                assertThat(endpoint.getPath()).isEqualTo("/actuator/prometheus");
                assertThat(service.getSpec().getPorts())
                        .extracting(p -> p.getName())
                        .contains(endpoint.getPort());
                if (component.equals("gateway-service")) {
                    assertThat(endpoint.getPort()).isEqualTo("management");
                    assertThat(endpoint.getAuthorization().getCredentials().getName())
                            .isEqualTo("switchboard");
                    assertThat(endpoint.getAuthorization().getCredentials().getKey())
                            .isEqualTo("SWITCHBOARD_OPERATOR_TOKEN");
                }
            });
        }
        assertThat(r.all(PrometheusRule.class)).hasSize(1);
        JsonNode rule = r.documents().stream()
                .filter(d -> d.path("kind").asString().equals("PrometheusRule"))
                .findFirst()
                .orElseThrow();
        assertThat(rule.at("/spec/groups"))
                .isEqualTo(MonitoringFiles.alertsYaml().get("groups"));
        // Helm does not expand the alerts' own {{ $labels }} templates: Prometheus does
        assertThat(rule.toString()).contains("{{ $labels.topic }}");
    }

    /**
     * Without the operator token in the Secret, Prometheus Operator skips the gateway's endpoint without a word
     * (review of issue 16, item 11): its ServiceMonitor is rendered only when monitoring.serviceMonitor.gatewayToken
     * says the Secret holds the token, and the gateway then requires that key, so a Secret without it shows on the
     * pod.
     */
    @Test
    void theGatewaysServiceMonitorComesOnlyWithTheOperatorTokenItNeeds() {
        Rendering without =
                Rendering.of(HelmChart.template(HelmChart.values("monitoring.serviceMonitor.enabled", true)));
        assertThat(without.all(ServiceMonitor.class))
                .extracting(m -> m.getMetadata().getLabels().get("app.kubernetes.io/component"))
                .containsExactlyInAnyOrder("outbox-relay", "router-service", "publisher-service");
        assertThat(operatorTokenRef(without).getOptional()).isTrue();

        Rendering with = Rendering.of(HelmChart.template(HelmChart.values(
                "monitoring.serviceMonitor.enabled", true, "monitoring.serviceMonitor.gatewayToken", true)));
        assertThat(with.onlyOne(ServiceMonitor.class, "gateway-service")
                        .getSpec()
                        .getEndpoints()
                        .get(0)
                        .getAuthorization()
                        .getCredentials())
                .satisfies(credentials -> {
                    assertThat(credentials.getName())
                            .isEqualTo(operatorTokenRef(with).getName());
                    assertThat(credentials.getKey())
                            .isEqualTo(operatorTokenRef(with).getKey());
                });
        assertThat(operatorTokenRef(with).getOptional())
                .as("the gateway requires the key its ServiceMonitor relies on")
                .isFalse();
    }

    private static SecretKeySelector operatorTokenRef(Rendering r) {
        return r.container("gateway-service").getEnv().stream()
                .filter(e -> e.getName().equals("SWITCHBOARD_OPERATOR_TOKEN"))
                .findFirst()
                .orElseThrow()
                .getValueFrom()
                .getSecretKeyRef();
    }

    /**
     * KEDA reads the lag of the group the chart names, so that name is the group the service consumes in: one value
     * sets both (review of issue 16, nit h), and overriding the group through env, which KEDA would not follow, fails.
     */
    @Test
    void kedaReadsTheLagOfTheGroupTheConsumersJoin() {
        Rendering r = Rendering.of(HelmChart.template(
                HelmChart.values("router.consumerGroup", "acme-router", "publisher.consumerGroup", "acme-publisher")));
        for (String service : List.of("router-service", "publisher-service")) {
            JsonNode trigger = r.scaledObjects().stream()
                    .filter(o -> o.path("metadata").path("name").asString().endsWith(service))
                    .findFirst()
                    .orElseThrow()
                    .at("/spec/triggers/0/metadata");
            String group = service.equals("router-service") ? "acme-router" : "acme-publisher";
            assertThat(trigger.path("consumerGroup").asString()).isEqualTo(group);
            assertThat(env(r.container(service), "SPRING_KAFKA_CONSUMER_GROUP_ID"))
                    .as("%s joins the group KEDA watches", service)
                    .isEqualTo(group);
        }
        assertThatThrownBy(() ->
                        HelmChart.template(HelmChart.values("router.env.SPRING_KAFKA_CONSUMER_GROUP_ID", "elsewhere")))
                .hasMessageContaining(
                        "router.env.SPRING_KAFKA_CONSUMER_GROUP_ID: set router.consumerGroup instead, which KEDA's"
                                + " trigger follows too");
    }

    /**
     * A StatefulSet's pods carry {@code controller-revision-hash: <name>-<hash of up to 10>}, a label value of at most
     * 63 characters, so a StatefulSet name over 52 leaves its pods uncreatable (review of issue 16, item 10). Helm
     * accepts release names of up to 53 characters.
     */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "payments-realtime-notifications-production-eu-west-1a",
                "switchboard-realtime-notifications-production-eu-west"
            })
    void theLongestReleaseNamesStillNameWorkloadsKubernetesCanRun(String release) {
        assertThat(release).hasSize(53);
        List<JsonNode> documents = HelmChart.documents(HelmChart.template(
                release,
                HelmChart.values("monitoring.serviceMonitor.enabled", true, "monitoring.prometheusRule.enabled", true),
                null));
        Set<String> names = new HashSet<>();
        for (JsonNode document : documents) {
            String kind = document.path("kind").asString();
            String name = document.at("/metadata/name").asString();
            assertThat(names.add(kind + "/" + name))
                    .as("%s %s is rendered once", kind, name)
                    .isTrue();
            assertThat(name)
                    .as("%s %s: a DNS label", kind, name)
                    .hasSizeLessThanOrEqualTo(63)
                    .matches("[a-z]([-a-z0-9]*[a-z0-9])?");
            if (kind.equals("StatefulSet")) {
                assertThat(name)
                        .as(
                                "StatefulSet %s: its pods' controller-revision-hash (the name, '-', a hash) must fit in 63",
                                name)
                        .hasSizeLessThanOrEqualTo(52);
            }
        }
        assertThat(documents)
                .filteredOn(d -> d.path("kind").asString().equals("StatefulSet"))
                .hasSize(2);
    }

    @Test
    void imagesComeFromValues() {
        Rendering r = Rendering.of(HelmChart.template(HelmChart.values(), EVERYTHING_ON));
        assertThat(r.container("outbox-relay").getImage()).isEqualTo("ghcr.io/acme/switchboard/outbox-relay:1.2.3");
        assertThat(r.container("gateway-service").getImage())
                .isEqualTo("ghcr.io/acme/switchboard/gateway-service:1.2.3");
        Rendering defaults = Rendering.of(HelmChart.template(HelmChart.values("router.image.tag", "canary")));
        assertThat(defaults.container("router-service").getImage()).isEqualTo("switchboard/router-service:canary");
        assertThat(defaults.container("publisher-service").getImage())
                .isEqualTo("switchboard/publisher-service:0.1.0-SNAPSHOT");
    }

    @Test
    void aMissingKafkaSaysWhatToSet() {
        assertThatThrownBy(() -> HelmChart.template(Map.of()))
                .hasMessageContaining("kafka.bootstrapServers is required");
    }

    static String env(Container container, String name) {
        return container.getEnv().stream()
                .filter(e -> e.getName().equals(name))
                .map(EnvVar::getValue)
                .findFirst()
                .orElseThrow(() -> new AssertionError(container.getName() + " has no " + name));
    }

    /** One rendering: its documents, and each parsed (strictly) into the Kubernetes model. */
    record Rendering(List<JsonNode> documents, List<HasMetadata> resources, List<JsonNode> scaledObjects) {

        static Rendering of(String rendered) {
            List<JsonNode> documents = HelmChart.documents(rendered);
            List<HasMetadata> resources = new ArrayList<>();
            List<JsonNode> scaledObjects = new ArrayList<>();
            for (JsonNode document : documents) {
                if ("ScaledObject".equals(document.path("kind").asString())) {
                    scaledObjects.add(document);
                } else {
                    resources.add(StrictManifests.parse(document));
                }
            }
            return new Rendering(documents, resources, scaledObjects);
        }

        List<String> kinds() {
            return resources.stream().map(HasMetadata::getKind).toList();
        }

        <T extends HasMetadata> List<T> all(Class<T> type) {
            return resources.stream().filter(type::isInstance).map(type::cast).toList();
        }

        <T extends HasMetadata> T onlyOne(Class<T> type, String component) {
            List<T> found = all(type).stream()
                    .filter(r -> component.equals(r.getMetadata().getLabels().get("app.kubernetes.io/component")))
                    .toList();
            assertThat(found).as("%s of %s", type.getSimpleName(), component).hasSize(1);
            return found.get(0);
        }

        HasMetadata byName(String name) {
            return resources.stream()
                    .filter(r -> (r instanceof Deployment || r instanceof StatefulSet)
                            && r.getMetadata().getName().equals(name))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no workload named " + name));
        }

        <T extends HasMetadata> T byName(String name, Class<T> type) {
            return all(type).stream()
                    .filter(r -> r.getMetadata().getName().equals(name))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " named " + name));
        }

        HasMetadata workload(String component) {
            List<HasMetadata> workloads = resources.stream()
                    .filter(r -> r instanceof Deployment || r instanceof StatefulSet)
                    .filter(r -> component.equals(r.getMetadata().getLabels().get("app.kubernetes.io/component")))
                    .toList();
            assertThat(workloads).as("workloads of %s", component).hasSize(1);
            return workloads.get(0);
        }

        PodTemplateSpec podTemplate(String component) {
            HasMetadata workload = workload(component);
            return workload instanceof Deployment d
                    ? d.getSpec().getTemplate()
                    : ((StatefulSet) workload).getSpec().getTemplate();
        }

        Container container(String component) {
            return podTemplate(component).getSpec().getContainers().get(0);
        }
    }
}
