package io.switchboard.router.truncation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Truncation properties over arbitrary JSON objects: deep nesting, multi-byte text, up to about 1 MB. */
class PayloadTruncatorPropertiesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Property(tries = 200)
    void resultIsValidJsonWithinTheLimitAndDeterministic(
            @ForAll("payloads") ObjectNode payload, @ForAll @IntRange(min = 64, max = 20_000) int limit) {
        String json = JSON.writeValueAsString(payload);
        int original = json.getBytes(StandardCharsets.UTF_8).length;
        PayloadTruncator truncator = new PayloadTruncator(limit);

        TruncationResult result = truncator.truncate(json, payload, Set.of());
        byte[] bytes = result.json().getBytes(StandardCharsets.UTF_8);
        JsonNode out = JSON.readTree(result.json());

        assertThat(out.isObject()).isTrue();
        assertThat(bytes.length).isLessThanOrEqualTo(limit).isEqualTo(result.bytes());
        assertThat(result.originalBytes()).isEqualTo(original);
        assertThat(truncator.truncate(json, payload, Set.of())).isEqualTo(result);
        if (original <= limit) {
            assertThat(result.truncated()).isFalse();
            assertThat(result.json()).isEqualTo(json);
        } else {
            assertThat(result.truncated()).isTrue();
            assertThat(out.get("_truncated").asBoolean()).isTrue();
            assertThat(out.get("_original_bytes").asInt()).isEqualTo(original);
        }
    }

    @Property(tries = 200)
    void identifiersNumbersAndBooleansSurviveWhenTheyFit(
            @ForAll("payloads") ObjectNode payload, @ForAll @IntRange(min = 2_000, max = 9_000) int limit) {
        ObjectNode withIds = payload.deepCopy();
        withIds.put("audit_id", "audit-1787121-1");
        withIds.put("jobId", 77);
        withIds.put("progress_percentage", 42.5);
        withIds.put("is_complete", false);
        String json = JSON.writeValueAsString(withIds);

        JsonNode out = JSON.readTree(
                new PayloadTruncator(limit).truncate(json, withIds, Set.of()).json());

        assertThat(out.get("audit_id").asString()).isEqualTo("audit-1787121-1");
        assertThat(out.get("jobId").asInt()).isEqualTo(77);
        assertThat(out.get("progress_percentage").asDouble()).isEqualTo(42.5);
        assertThat(out.get("is_complete").asBoolean()).isFalse();
    }

    @Property(tries = 100)
    void deepNestingIsReducedWithinTheLimit(
            @ForAll @IntRange(min = 1, max = 400) int depth, @ForAll @IntRange(min = 64, max = 9_000) int limit) {
        ObjectNode root = NODES.objectNode();
        root.put("audit_id", "A");
        ObjectNode node = root;
        for (int i = 0; i < depth; i++) {
            ObjectNode child = node.putObject("level" + i);
            child.put("text", "é".repeat(50));
            child.putArray("items").add(i).add("x".repeat(30));
            node = child;
        }
        String json = JSON.writeValueAsString(root);
        TruncationResult result = new PayloadTruncator(limit).truncate(json, root, Set.of());
        assertThat(result.json().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(limit);
        JsonNode out = JSON.readTree(result.json());
        assertThat(out.get("audit_id").asString()).isEqualTo("A");
    }

    @Provide
    Arbitrary<ObjectNode> payloads() {
        return object(4);
    }

    private Arbitrary<ObjectNode> object(int depth) {
        return Arbitraries.maps(keys(), value(depth))
                .ofMaxSize(depth == 4 ? 30 : 8)
                .map(map -> {
                    ObjectNode node = NODES.objectNode();
                    map.forEach(node::set);
                    return node;
                });
    }

    private Arbitrary<JsonNode> value(int depth) {
        Arbitrary<JsonNode> scalar = Arbitraries.oneOf(
                text().map(NODES::stringNode),
                Arbitraries.integers().map(i -> (JsonNode) NODES.numberNode(i)),
                Arbitraries.doubles().map(d -> (JsonNode) NODES.numberNode(d)),
                Arbitraries.of(true, false).map(NODES::booleanNode),
                Arbitraries.just(NODES.nullNode()));
        if (depth == 0) {
            return scalar;
        }
        Arbitrary<JsonNode> array = value(depth - 1)
                .list()
                .ofMaxSize(depth == 4 ? 400 : 20)
                .map(items -> {
                    ArrayNode node = NODES.arrayNode();
                    items.forEach(node::add);
                    return node;
                });
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, scalar),
                net.jqwik.api.Tuple.of(1, array),
                net.jqwik.api.Tuple.of(1, object(depth - 1).map(o -> (JsonNode) o)));
    }

    private static Arbitrary<String> keys() {
        return Arbitraries.oneOf(
                Arbitraries.of("id", "audit_id", "fiche_id", "jobId", "status", "type", "message", "meta", "items"),
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(12));
    }

    /** Short text mostly, sometimes very long; ASCII, accents, CJK and emoji (surrogate pairs). */
    private static Arbitrary<String> text() {
        Arbitrary<String> unit = Arbitraries.of("a", "Z", "é", "ß", "中", "😀", "\"", "\\", "\n", " ");
        Arbitrary<Integer> length = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(20, Arbitraries.integers().between(0, 40)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(100, 5_000)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(50_000, 250_000)));
        return length.flatMap(n -> unit.list().ofSize(Math.min(n, 50)).map(parts -> {
            String chunk = String.join("", parts);
            StringBuilder sb = new StringBuilder();
            while (sb.length() < n) {
                sb.append(chunk.isEmpty() ? "x" : chunk);
            }
            return sb.toString();
        }));
    }
}
