package io.switchboard.router.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * A channel template compiled once at start-up: literal text and {@code {field}} placeholders. Rendering checks each
 * value taken from the payload: only strings or integers made of {@code A-Z a-z 0-9 _ - = @} may fill a placeholder,
 * so that no value can add a separator ({@code . , ;}) and steer an event to a channel its rule did not name.
 */
final class ChannelTemplate {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");
    private static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern LITERAL = Pattern.compile("[A-Za-z0-9_\\-=@,.;]*");

    private final String source;
    private final String[] literals; // literals[i] precedes fields[i]; the last literal ends the name
    private final String[] fields;
    private final int literalLength;

    private ChannelTemplate(String source, String[] literals, String[] fields) {
        this.source = source;
        this.literals = literals;
        this.fields = fields;
        int length = 0;
        for (String literal : literals) {
            length += literal.length();
        }
        this.literalLength = length;
    }

    /** Compiles a template; the message of the exception names what is wrong, the caller names the rule. */
    static ChannelTemplate compile(String template, String prefix) {
        if (template == null || template.isBlank()) {
            throw new IllegalArgumentException("an empty channel template");
        }
        List<String> literals = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(template);
        int at = 0;
        while (m.find()) {
            literals.add(literal(template, template.substring(at, m.start())));
            String field = m.group(1);
            if (!FIELD_NAME.matcher(field).matches()) {
                throw new IllegalArgumentException("placeholder {" + field + "} in '" + template
                        + "' is not a top-level field name (letters, digits, _)");
            }
            fields.add(field);
            at = m.end();
        }
        literals.add(literal(template, template.substring(at)));
        literals.set(0, prefix + literals.get(0));
        ChannelTemplate compiled =
                new ChannelTemplate(template, literals.toArray(String[]::new), fields.toArray(String[]::new));
        int minimum = compiled.literalLength + fields.size();
        if (minimum > ChannelName.MAX_LENGTH) {
            throw new IllegalArgumentException("'" + prefix + template + "' is at least " + minimum
                    + " characters, over Pusher's " + ChannelName.MAX_LENGTH);
        }
        return compiled;
    }

    private static String literal(String template, String text) {
        if (!LITERAL.matcher(text).matches()) {
            throw new IllegalArgumentException(
                    "'" + template
                            + "' has characters Pusher refuses in a channel name, or an unclosed brace (allowed: A-Z a-z 0-9 _ - = @ , . ;)");
        }
        return text;
    }

    /**
     * The channel for this payload, or null when a placeholder's field is absent or null.
     *
     * @throws RoutingException UNSAFE_PLACEHOLDER when a value is present but may not fill a placeholder
     */
    ChannelName render(JsonNode payload) {
        if (fields.length == 0) {
            return new ChannelName(literals[0]);
        }
        StringBuilder name = new StringBuilder(literalLength + 16 * fields.length);
        for (int i = 0; i < fields.length; i++) {
            JsonNode value = payload.get(fields[i]);
            if (value == null || value.isNull()) {
                return null;
            }
            name.append(literals[i]).append(safeValue(fields[i], value));
        }
        name.append(literals[fields.length]);
        if (name.length() > ChannelName.MAX_LENGTH) {
            throw new RoutingException(
                    RoutingException.Reason.UNSAFE_PLACEHOLDER,
                    "channel from template '" + source + "' would be " + name.length() + " characters, over Pusher's "
                            + ChannelName.MAX_LENGTH);
        }
        return new ChannelName(name.toString());
    }

    private String safeValue(String field, JsonNode value) {
        String text;
        if (value.isString()) {
            text = value.asString();
        } else if (value.isIntegralNumber()) {
            text = value.bigIntegerValue().toString();
        } else {
            throw new RoutingException(
                    RoutingException.Reason.UNSAFE_PLACEHOLDER,
                    "field '" + field + "' of template '" + source + "' is " + describe(value)
                            + ", not a string or an integer");
        }
        if (!safe(text)) {
            throw new RoutingException(
                    RoutingException.Reason.UNSAFE_PLACEHOLDER,
                    "field '" + field + "' of template '" + source + "' has the value \"" + abbreviate(text)
                            + "\", which is empty or holds characters other than A-Z a-z 0-9 _ - = @");
        }
        return text;
    }

    private static boolean safe(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (!ChannelName.isSafeValueChar(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static String describe(JsonNode value) {
        if (value.isObject()) {
            return "an object";
        }
        if (value.isArray()) {
            return "an array";
        }
        if (value.isBoolean()) {
            return "a boolean";
        }
        if (value.isNumber()) {
            return "a non-integer number";
        }
        return "a " + value.getNodeType().name().toLowerCase();
    }

    private static String abbreviate(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }

    @Override
    public String toString() {
        return source;
    }
}
