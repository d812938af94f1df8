package io.switchboard.deploy.helm;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Rendered manifests into fabric8's Kubernetes model, refusing what the model does not know.
 *
 * <p>fabric8's classes keep unknown fields in an {@code additionalProperties} map (a Jackson any-setter) instead of
 * failing on them, so a misspelt {@code readinesProbe} would parse. This mapper removes every any-setter and fails
 * on unknown properties: each field of a rendered manifest must be one the Kubernetes API defines. The kinds the
 * chart may render are listed with their model class (an apiVersion the cluster does not serve, such as
 * {@code policy/v1beta1}, is refused with the rest); KEDA's ScaledObject, for which fabric8 has no model, is checked
 * against its own schema instead ({@link KedaScaledObjects}).
 */
public final class StrictManifests {

    /** apiVersion and kind to the fabric8 class of each kind the chart renders. */
    static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "v1/ConfigMap", ConfigMap.class,
            "v1/Service", Service.class,
            "apps/v1/Deployment", Deployment.class,
            "apps/v1/StatefulSet", StatefulSet.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
            "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class,
            "networking.k8s.io/v1/Ingress", Ingress.class,
            "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
            "monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class,
            "monitoring.coreos.com/v1/PrometheusRule", PrometheusRule.class);

    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .addModule(new SimpleModule("no-any-setter").setDeserializerModifier(new BeanDeserializerModifier() {
                @Override
                public BeanDeserializerBuilder updateBuilder(
                        DeserializationConfig config, BeanDescription description, BeanDeserializerBuilder builder) {
                    builder.setAnySetter(null);
                    return builder;
                }
            }))
            .build();

    private StrictManifests() {}

    /** The document as its fabric8 class (chosen by apiVersion and kind); any unknown field fails. */
    public static HasMetadata parse(JsonNode document) {
        String type = document.path("apiVersion").asString() + "/"
                + document.path("kind").asString();
        Class<? extends HasMetadata> model = KINDS.get(type);
        if (model == null) {
            throw new AssertionError(
                    "the chart rendered " + type + ", not a kind it is meant to render: " + KINDS.keySet());
        }
        try {
            return STRICT.readValue(document.toString(), model);
        } catch (Exception e) {
            throw new AssertionError(
                    type + " " + document.path("metadata").path("name").asString()
                            + " does not parse strictly as Kubernetes defines it: " + e.getMessage(),
                    e);
        }
    }

    /** Parses into a given class, strictly (for documents read out of a rendering, such as a ConfigMap's data). */
    public static <T> T parse(JsonNode document, Class<T> type) {
        try {
            return STRICT.readValue(document.toString(), type);
        } catch (Exception e) {
            throw new AssertionError("does not parse strictly as " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }
}
