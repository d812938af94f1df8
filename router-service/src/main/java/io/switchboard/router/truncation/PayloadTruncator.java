package io.switchboard.router.truncation;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Cuts a payload down to Pusher's limit without losing what clients need to refetch (contracts section 4).
 *
 * <p>A payload within the limit is returned as it is. A larger one is reduced, deterministically:
 * <ol>
 *   <li>Reduce at growing strength until it fits: identifiers ({@code id}, {@code *_id}, {@code *Id}, {@code *_ids},
 *       {@code *Ids}), {@code type}, {@code status} and the rule's keep-fields stay whole; numbers, booleans and
 *       nulls stay; other strings are shortened (by code points, never splitting a character, marked with "…");
 *       arrays longer than the level allows become their length; nested objects are reduced the same way and,
 *       past the level's depth, replaced by their field count.
 *   <li>If even the strongest level does not fit, top-level fields are admitted in priority order (keep-fields
 *       and identifiers whose value is at most 256 JSON bytes, then type and status, then the payload's own numbers and
 *       booleans, then larger values under id names, then the rest, containers reduced to their
 *       length included; smaller first within each rank) while they fit; the others are dropped and counted.
 * </ol>
 * The result always carries {@code "_truncated": true} and {@code "_original_bytes": N}, keeps the original key
 * order and is at most {@code limit} bytes. Written by hand: no JSON library truncates to a byte budget.
 */
public final class PayloadTruncator {

    /** The smallest limit that always leaves room for the two markers. */
    public static final int MIN_LIMIT = 64;

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String ELLIPSIS = "…";
    /**
     * The largest value (JSON bytes) that ranks as an id in the last resort, whatever its type: a UUID, a composite
     * key or a short list of ids; a long text or list under an id name could take the whole budget.
     */
    private static final int MAX_ID_BYTES = 256;

    /** One reduction strength: longest string kept (code points), longest array kept, deepest object kept. */
    private record Level(int maxString, int maxArray, int maxDepth) {}

    private static final List<Level> LEVELS = List.of(
            new Level(1024, 100, 6),
            new Level(256, 20, 4),
            new Level(64, 5, 3),
            new Level(16, 0, 2),
            new Level(0, 0, 1));

    private final int limit;

    public PayloadTruncator(int limit) {
        if (limit < MIN_LIMIT) {
            throw new IllegalArgumentException(
                    "the payload limit is " + limit + " bytes; it must be at least " + MIN_LIMIT);
        }
        this.limit = limit;
    }

    public int limit() {
        return limit;
    }

    /** The payload within the limit. {@code payload} is the parsed form of {@code json}, a JSON object. */
    public TruncationResult truncate(String json, ObjectNode payload, Set<String> keep) {
        int original = utf8Length(json);
        if (original <= limit) {
            return new TruncationResult(json, original, false, original, 0);
        }
        for (Level level : LEVELS) {
            ObjectNode reduced = reduceObject(payload, keep, level, 1);
            mark(reduced, original);
            byte[] bytes = JSON.writeValueAsBytes(reduced);
            if (bytes.length <= limit) {
                return new TruncationResult(new String(bytes, StandardCharsets.UTF_8), bytes.length, true, original, 0);
            }
        }
        return fit(payload, reduceObject(payload, keep, LEVELS.get(LEVELS.size() - 1), 1), keep, original);
    }

    /**
     * Greedy admission of top-level fields in priority order; output in the original key order. A field ranks by its
     * value in the payload, not by its reduced form: a list or object reduced to its length is not one of the
     * payload's own numbers, and must not crowd them out.
     */
    private TruncationResult fit(ObjectNode payload, ObjectNode reduced, Set<String> keep, int original) {
        ObjectNode markers = NODES.objectNode();
        mark(markers, original);
        int budget = limit - JSON.writeValueAsBytes(markers).length; // "{...}" with the markers
        List<String> names = new ArrayList<>(reduced.propertyNames());
        List<Candidate> candidates = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            JsonNode value = reduced.get(name);
            int size = utf8Length(JSON.writeValueAsString(name)) + 1 + JSON.writeValueAsBytes(value).length + 1;
            candidates.add(new Candidate(name, i, priority(name, payload.get(name), keep), size));
        }
        candidates.sort(Comparator.comparingInt(Candidate::priority)
                .thenComparingInt(Candidate::size)
                .thenComparingInt(Candidate::index));
        Set<String> admitted = new LinkedHashSet<>();
        for (Candidate candidate : candidates) {
            if (candidate.size() <= budget) {
                admitted.add(candidate.name());
                budget -= candidate.size();
            }
        }
        ObjectNode out = NODES.objectNode();
        for (String name : names) {
            if (admitted.contains(name)) {
                out.set(name, reduced.get(name));
            }
        }
        mark(out, original);
        byte[] bytes = JSON.writeValueAsBytes(out);
        return new TruncationResult(
                new String(bytes, StandardCharsets.UTF_8),
                bytes.length,
                true,
                original,
                names.size() - admitted.size());
    }

    private record Candidate(String name, int index, int priority, int size) {}

    /**
     * Admission order of the last resort. The rule's keep-fields, and a small value under an id name (what a client
     * refetches by), come first; a long text, list or object under an id name could take the whole budget, so it
     * comes after the payload's own numbers and flags (counts, progress), which are a few bytes each.
     */
    private static int priority(String name, JsonNode value, Set<String> keep) {
        if (keep.contains(name) || isIdentifier(name) && isRefetchKey(value)) {
            return 0;
        }
        if (name.equals("type") || name.equals("status")) {
            return 1;
        }
        if (value.isNumber() || value.isBoolean() || value.isNull()) {
            return 2;
        }
        if (isIdentifier(name)) {
            return 3;
        }
        return 4;
    }

    private static boolean isRefetchKey(JsonNode value) {
        return JSON.writeValueAsBytes(value).length <= MAX_ID_BYTES;
    }

    private static void mark(ObjectNode node, int original) {
        node.put("_truncated", true);
        node.put("_original_bytes", original);
    }

    private static ObjectNode reduceObject(ObjectNode node, Set<String> keep, Level level, int depth) {
        ObjectNode out = NODES.objectNode();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String name = field.getKey();
            JsonNode value = field.getValue();
            boolean whole = depth == 1 && keep.contains(name) || isIdentifier(name) || isLabel(name, value);
            out.set(name, whole ? value : reduce(value, keep, level, depth));
        }
        return out;
    }

    private static JsonNode reduce(JsonNode value, Set<String> keep, Level level, int depth) {
        if (value.isString()) {
            return NODES.stringNode(shorten(value.asString(), level.maxString()));
        }
        if (value.isArray()) {
            if (value.size() > level.maxArray() || depth >= level.maxDepth()) {
                return NODES.numberNode(value.size());
            }
            ArrayNode out = NODES.arrayNode();
            for (JsonNode item : value) {
                out.add(reduce(item, keep, level, depth + 1));
            }
            return out;
        }
        if (value.isObject()) {
            if (depth >= level.maxDepth()) {
                return NODES.numberNode(value.size());
            }
            return reduceObject((ObjectNode) value, keep, level, depth + 1);
        }
        return value; // numbers, booleans, null
    }

    /** {@code type} and {@code status} are short labels clients switch on: kept whole when they are strings. */
    private static boolean isLabel(String name, JsonNode value) {
        return (name.equals("type") || name.equals("status"))
                && value.isString()
                && value.asString().length() <= 64;
    }

    static boolean isIdentifier(String name) {
        return name.equals("id")
                || name.endsWith("_id")
                || name.endsWith("Id")
                || name.endsWith("_ids")
                || name.endsWith("Ids");
    }

    static String shorten(String s, int maxCodePoints) {
        if (s.codePointCount(0, s.length()) <= maxCodePoints) {
            return s;
        }
        if (maxCodePoints == 0) {
            return ELLIPSIS;
        }
        return s.substring(0, s.offsetByCodePoints(0, maxCodePoints)) + ELLIPSIS;
    }

    static int utf8Length(String s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
