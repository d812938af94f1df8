package io.switchboard.deploy.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.switchboard.testkit.ProjectRoot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The chart under deploy/helm/switchboard, rendered by Helm itself (helm-java embeds Helm's Go code as a native
 * library, so no helm binary is needed), as {@code helm template} would for a release {@code sb} in namespace
 * {@code realtime}.
 */
public final class HelmChart {

    public static final String RELEASE = "sb";
    public static final String NAMESPACE = "realtime";
    /** Helm renders for v1.20 unless told; the chart asks for 1.25 or newer. */
    static final String KUBE_VERSION = "1.30.0";

    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    private HelmChart() {}

    public static Path dir() {
        return ProjectRoot.path().resolve("deploy/helm/switchboard");
    }

    public static LintResult lintStrict() {
        return new Helm(dir()).lint().strict().call();
    }

    /** The values every render needs (a Kafka to point at), plus the given ones. */
    public static Map<String, Object> values(Object... keysAndValues) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("kafka.bootstrapServers", "kafka-0.kafka:9092,kafka-1.kafka:9092");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            values.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return values;
    }

    /** {@code helm template} with these {@code --set} values; Helm's error (a {@code fail}) as an exception. */
    public static String template(Map<String, Object> values) {
        return template(values, null);
    }

    /**
     * {@code helm template -f values.yaml --set ...}: a values file for what {@code --set} cannot say plainly (lists
     * of objects, braces in channel templates).
     */
    public static String template(Map<String, Object> values, String valuesYaml) {
        return template(RELEASE, values, valuesYaml);
    }

    /** As {@link #template(Map, String)}, for a release of another name. */
    public static String template(String release, Map<String, Object> values, String valuesYaml) {
        TemplateCommand template = new Helm(dir())
                .template()
                .withName(release)
                .withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION);
        Path file = null;
        try {
            if (valuesYaml != null) {
                file = Files.createTempFile("values-", ".yaml");
                Files.writeString(file, valuesYaml);
                template.withValuesFile(file);
            }
            values.forEach(template::set);
            return template.call();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (file != null) {
                file.toFile().delete();
            }
        }
    }

    /** Every YAML document of a rendering (empty ones, from templates that rendered nothing, left out). */
    public static List<JsonNode> documents(String rendered) {
        List<JsonNode> documents = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(rendered)) {
            while (it.hasNextValue()) {
                JsonNode document = it.nextValue();
                if (document != null && !document.isNull() && !document.isEmpty()) {
                    documents.add(document);
                }
            }
        }
        return documents;
    }

    public static JsonNode readYaml(String yaml) {
        return YAML.readTree(yaml);
    }

    public static JsonNode readYaml(Path file) {
        return YAML.readTree(file.toFile());
    }
}
