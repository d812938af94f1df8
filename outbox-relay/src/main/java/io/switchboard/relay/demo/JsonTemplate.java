package io.switchboard.relay.demo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A JSON value with placeholders, compiled once when the demo's data is loaded: {@code {name}}, {@code {name+N}},
 * {@code {name*K+N}} (integer arithmetic on an integer variable). A string that is exactly one placeholder becomes
 * the variable's value with its JSON type (a number stays a number, an array an array); in longer strings the value
 * is written as text.
 */
final class JsonTemplate {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern PLACEHOLDER =
            Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)(?:\\*(\\d+))?(?:\\+(\\d+))?}");

    /** A variable was missing or of the wrong type: the message names the placeholder. */
    static final class TemplateException extends RuntimeException {
        TemplateException(String message) {
            super(message);
        }
    }

    private sealed interface Node permits Literal, Whole, Text, Obj, Arr {}

    private record Literal(JsonNode value) implements Node {}

    private record Whole(Placeholder placeholder) implements Node {}

    /** Alternating text and placeholders. */
    private record Text(List<Object> parts) implements Node {}

    private record Obj(Map<String, Node> fields) implements Node {}

    private record Arr(List<Node> items) implements Node {}

    private record Placeholder(String text, String name, long times, long plus) {
        JsonNode resolve(Map<String, JsonNode> vars) {
            JsonNode value = vars.get(name);
            if (value == null) {
                throw new TemplateException("unknown variable in " + text + " (known: " + vars.keySet() + ")");
            }
            if (times == 1 && plus == 0) {
                return value.deepCopy();
            }
            if (!value.isIntegralNumber()) {
                throw new TemplateException(text + " needs an integer, but " + name + " is " + value);
            }
            return NODES.numberNode(value.asLong() * times + plus);
        }
    }

    private final Node root;

    private JsonTemplate(Node root) {
        this.root = root;
    }

    static JsonTemplate compile(JsonNode value) {
        return new JsonTemplate(node(value));
    }

    /** The value with the variables put in; throws {@link TemplateException} naming a missing variable. */
    JsonNode render(Map<String, JsonNode> vars) {
        return render(root, vars);
    }

    /** The rendered value as text (a number's digits, a string's characters), for ids and names. */
    String renderText(Map<String, JsonNode> vars) {
        JsonNode value = render(vars);
        return value.isString() ? value.asString() : value.toString();
    }

    private static Node node(JsonNode value) {
        if (value.isObject()) {
            Map<String, Node> fields = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> field : value.properties()) {
                fields.put(field.getKey(), node(field.getValue()));
            }
            return new Obj(fields);
        }
        if (value.isArray()) {
            List<Node> items = new ArrayList<>();
            value.forEach(item -> items.add(node(item)));
            return new Arr(items);
        }
        if (!value.isString()) {
            return new Literal(value);
        }
        String text = value.asString();
        Matcher m = PLACEHOLDER.matcher(text);
        List<Object> parts = new ArrayList<>();
        int at = 0;
        while (m.find()) {
            if (m.start() > at) {
                parts.add(text.substring(at, m.start()));
            }
            parts.add(new Placeholder(
                    m.group(),
                    m.group(1),
                    m.group(2) == null ? 1 : Long.parseLong(m.group(2)),
                    m.group(3) == null ? 0 : Long.parseLong(m.group(3))));
            at = m.end();
        }
        if (parts.isEmpty()) {
            return new Literal(value);
        }
        if (at < text.length()) {
            parts.add(text.substring(at));
        }
        return parts.size() == 1 ? new Whole((Placeholder) parts.get(0)) : new Text(List.copyOf(parts));
    }

    private static JsonNode render(Node node, Map<String, JsonNode> vars) {
        if (node instanceof Literal literal) {
            return literal.value();
        }
        if (node instanceof Whole whole) {
            return whole.placeholder().resolve(vars);
        }
        if (node instanceof Text text) {
            StringBuilder out = new StringBuilder();
            for (Object part : text.parts()) {
                if (part instanceof Placeholder p) {
                    JsonNode value = p.resolve(vars);
                    out.append(value.isString() ? value.asString() : value.toString());
                } else {
                    out.append(part);
                }
            }
            return NODES.stringNode(out.toString());
        }
        if (node instanceof Obj obj) {
            ObjectNode out = NODES.objectNode();
            obj.fields().forEach((name, value) -> out.set(name, render(value, vars)));
            return out;
        }
        ArrayNode out = NODES.arrayNode();
        ((Arr) node).items().forEach(item -> out.add(render(item, vars)));
        return out;
    }
}
