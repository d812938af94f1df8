package io.switchboard.deploy.helm;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * KEDA's ScaledObject, checked as KEDA documents it: the object against a JSON schema of its specification
 * (src/test/resources/keda/scaledobject.schema.json, which says where it comes from), and a Kafka trigger's
 * metadata against the parameters of KEDA's Kafka scaler. KEDA reads trigger metadata as a map of strings and
 * ignores keys it does not know, so a misspelt {@code lagTreshold} would leave the default threshold in force
 * without a word: hence the list.
 */
public final class KedaScaledObjects {

    /**
     * The Kafka scaler's trigger parameters (KEDA docs 2.15, "Apache Kafka" scaler, "Parameter list"), with what each
     * accepts; null: any non-blank string.
     */
    static final Map<String, Pattern> KAFKA_METADATA = Map.ofEntries(
            Map.entry("bootstrapServers", Pattern.compile("[^\\s,]+:\\d+(,[^\\s,]+:\\d+)*")),
            Map.entry("consumerGroup", Pattern.compile("\\S+")),
            Map.entry("topic", Pattern.compile("[a-zA-Z0-9._-]+")),
            Map.entry("lagThreshold", Pattern.compile("[1-9]\\d*")),
            Map.entry("activationLagThreshold", Pattern.compile("\\d+")),
            Map.entry("offsetResetPolicy", Pattern.compile("latest|earliest")),
            Map.entry("allowIdleConsumers", Pattern.compile("true|false")),
            Map.entry("scaleToZeroOnInvalidOffset", Pattern.compile("true|false")),
            Map.entry("excludePersistentLag", Pattern.compile("true|false")),
            Map.entry("limitToPartitionsWithLag", Pattern.compile("true|false")),
            Map.entry("version", Pattern.compile("\\d+\\.\\d+\\.\\d+")),
            Map.entry("partitionLimitation", Pattern.compile("\\d+(-\\d+)?(,\\d+(-\\d+)?)*")),
            Map.entry("sasl", Pattern.compile("plaintext|scram_sha256|scram_sha512|gssapi|oauthbearer|none")),
            Map.entry("saslTokenProvider", Pattern.compile("bearer|aws_msk_iam")),
            Map.entry("tls", Pattern.compile("enable|disable")),
            Map.entry("unsafeSsl", Pattern.compile("true|false")),
            Map.entry("awsRegion", Pattern.compile("[a-z0-9-]+")));

    /** Parameters without which the Kafka scaler cannot measure a group's lag on a topic. */
    static final Set<String> KAFKA_REQUIRED = Set.of("bootstrapServers", "consumerGroup", "topic");

    private static final Schema SCHEMA = loadSchema();

    private KedaScaledObjects() {}

    private static Schema loadSchema() {
        try (InputStream in = KedaScaledObjects.class.getResourceAsStream("/keda/scaledobject.schema.json")) {
            JsonNode schema = JsonMapper.builder().build().readTree(in);
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                    .getSchema(schema);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What is wrong with this ScaledObject, as messages that name the field; empty when nothing is. */
    public static List<String> problems(JsonNode scaledObject) {
        List<String> problems = new ArrayList<>();
        for (Error error : SCHEMA.validate(scaledObject)) {
            problems.add(error.getInstanceLocation() + ": " + error.getMessage());
        }
        JsonNode spec = scaledObject.path("spec");
        if (spec.has("minReplicaCount")
                && spec.has("maxReplicaCount")
                && spec.get("minReplicaCount").asInt()
                        > spec.get("maxReplicaCount").asInt()) {
            problems.add("spec.minReplicaCount exceeds spec.maxReplicaCount");
        }
        if (spec.has("idleReplicaCount")
                && spec.get("idleReplicaCount").asInt()
                        >= spec.path("minReplicaCount").asInt(0)) {
            problems.add("spec.idleReplicaCount must be less than spec.minReplicaCount");
        }
        int index = 0;
        for (JsonNode trigger : spec.path("triggers")) {
            if ("kafka".equals(trigger.path("type").asString())) {
                problems.addAll(
                        kafkaMetadataProblems("spec.triggers[" + index + "].metadata", trigger.path("metadata")));
            }
            index++;
        }
        return problems;
    }

    static List<String> kafkaMetadataProblems(String where, JsonNode metadata) {
        List<String> problems = new ArrayList<>();
        for (String required : KAFKA_REQUIRED) {
            if (!metadata.has(required)) {
                problems.add(where + "." + required + " is missing");
            }
        }
        for (Map.Entry<String, JsonNode> entry : metadata.properties()) {
            Pattern accepted = KAFKA_METADATA.get(entry.getKey());
            if (accepted == null) {
                problems.add(where + "." + entry.getKey() + " is not a parameter of KEDA's Kafka scaler");
            } else if (!accepted.matcher(entry.getValue().asString()).matches()) {
                problems.add(where + "." + entry.getKey() + " = '"
                        + entry.getValue().asString() + "' is not what the Kafka scaler accepts (" + accepted + ")");
            }
        }
        return problems;
    }
}
