package io.switchboard.gateway.auth;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A channel template of the policy, compiled once at start-up: literal text and {@code {placeholder}}s.
 *
 * <p>A placeholder value takes the router's charset, {@code A-Z a-z 0-9 _ - = @} (router-service
 * {@code routing/ChannelName.isSafeValueChar}, used by {@code routing/ChannelTemplate.safeValue}): Pusher's channel
 * characters less the separators {@code , . ;}. One charset for both ends, so every channel the router can name is
 * one the gateway can match, and no value can hold a separator.
 *
 * <p>A channel must be read back as exactly one set of values, or a caller could be granted a channel by a split the
 * rule's author did not mean ({@code private-{tenant}-{room}}: tenant {@code acme-eu} would read tenant
 * {@code acme}'s room {@code eu-lobby}). Hence two placeholders are never adjacent and the text between them holds at
 * least one separator, which no value can contain: the first value ends at the first separator, and so on. A
 * placeholder appears once per template (one value, one check).
 *
 * <p>An encrypted channel ({@code private-encrypted-…}) is granted only by a template that starts with
 * {@code private-encrypted-}, since its answer carries the channel's shared secret. A template whose literal start is
 * a shorter piece of that prefix ({@code private-}, {@code private-enc}, …) followed by a placeholder could match one
 * otherwise: a value may hold every character of {@code encrypted-}, so {@code private-{room}} matches
 * {@code private-encrypted-x} with room {@code encrypted-x}. Such a template stops start-up. Any other template
 * cannot: its literal start either is {@code private-encrypted-…} itself, or differs from that prefix at a fixed
 * position, or is {@code presence-}.
 */
final class ChannelTemplate {

    /** The placeholder-value charset, in words, for messages and the policy's description. */
    static final String VALUE_CHARSET = "A-Z a-z 0-9 _ - = @";

    static final int MAX_CHANNEL_LENGTH = 164;

    /** Pusher's prefix of end-to-end encrypted channels, whose auth answer carries a shared secret. */
    static final String ENCRYPTED_PREFIX = "private-encrypted-";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final String VALUE = "([A-Za-z0-9_=@-]+)";

    private final String source;
    private final Pattern pattern;
    private final List<String> placeholders;
    private final boolean encrypted;

    private ChannelTemplate(String source, Pattern pattern, List<String> placeholders) {
        this.source = source;
        this.pattern = pattern;
        this.placeholders = placeholders;
        this.encrypted = source.startsWith(ENCRYPTED_PREFIX);
    }

    /**
     * @param where the setting that holds the template, for messages ({@code switchboard.auth.rules[2].channel})
     * @throws IllegalArgumentException naming {@code where} and what is wrong
     */
    static ChannelTemplate compile(String where, String template) {
        if (template == null || !(template.startsWith("private-") || template.startsWith("presence-"))) {
            throw new IllegalArgumentException(where + " must start with private- or presence-, not " + template);
        }
        StringBuilder regex = new StringBuilder();
        List<String> placeholders = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(template);
        int at = 0;
        int literalLength = 0;
        String start = null; // the literal text before the first placeholder
        while (m.find()) {
            String literal = literal(where, template, template.substring(at, m.start()));
            String name = m.group(1);
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException(where + " has a malformed placeholder {" + name + "} in " + template
                        + " (letters, digits and _, not starting with a digit)");
            }
            if (placeholders.contains(name)) {
                throw new IllegalArgumentException(
                        where + " uses {" + name + "} twice in " + template + ": each placeholder may appear once");
            }
            if (!placeholders.isEmpty() && !hasSeparator(literal)) {
                throw new IllegalArgumentException(where + " has {" + placeholders.get(placeholders.size() - 1)
                        + "} and {" + name + "} separated by \"" + literal + "\" in " + template
                        + ": placeholders must be separated by at least one of . , ; (a value may hold "
                        + VALUE_CHARSET + ", so another separator lets one channel be read two ways)");
            }
            if (start == null) {
                start = literal;
            }
            regex.append(Pattern.quote(literal)).append(VALUE);
            literalLength += literal.length();
            placeholders.add(name);
            at = m.end();
        }
        String tail = literal(where, template, template.substring(at));
        regex.append(Pattern.quote(tail));
        literalLength += tail.length();
        // checked after the placeholders, so a template broken in several ways is named for its first problem
        if (start != null && start.length() < ENCRYPTED_PREFIX.length() && ENCRYPTED_PREFIX.startsWith(start)) {
            throw new IllegalArgumentException(where + " (" + template + ") could match " + ENCRYPTED_PREFIX
                    + "… channels ({" + placeholders.get(0) + "} may hold \""
                    + ENCRYPTED_PREFIX.substring(start.length())
                    + "…\"), whose answer carries the channel's shared secret. For clear channels put text that is"
                    + " not part of " + ENCRYPTED_PREFIX + " before the placeholder (private-room.{"
                    + placeholders.get(0) + "}); for encrypted channels start the template with " + ENCRYPTED_PREFIX);
        }
        if (literalLength + placeholders.size() > MAX_CHANNEL_LENGTH) {
            throw new IllegalArgumentException(
                    where + " can never fit Pusher's " + MAX_CHANNEL_LENGTH + " characters: " + template);
        }
        return new ChannelTemplate(template, Pattern.compile(regex.toString()), List.copyOf(placeholders));
    }

    private static String literal(String where, String template, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '{' || c == '}') {
                throw new IllegalArgumentException(where + " has a malformed placeholder: " + template);
            }
            if (!isValueChar(c) && !isSeparator(c)) {
                throw new IllegalArgumentException(where + " has '" + c
                        + "', which Pusher refuses in a channel name (allowed: A-Z a-z 0-9 _ - = @ , . ;): "
                        + template);
            }
        }
        return text;
    }

    /** The placeholder values when the channel matches, else null. */
    Map<String, String> match(String channel) {
        Matcher m = pattern.matcher(channel);
        if (!m.matches()) {
            return null;
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int g = 0; g < placeholders.size(); g++) {
            values.put(placeholders.get(g), m.group(g + 1));
        }
        return values;
    }

    List<String> placeholders() {
        return placeholders;
    }

    /** Whether the template is for encrypted channels: it starts with {@code private-encrypted-}. */
    boolean encrypted() {
        return encrypted;
    }

    /** Whether every character is one Pusher allows in a channel name ({@code A-Z a-z 0-9 _ - = @ , . ;}). */
    static boolean isChannelName(String channel) {
        for (int i = 0; i < channel.length(); i++) {
            char c = channel.charAt(i);
            if (!isValueChar(c) && !isSeparator(c)) {
                return false;
            }
        }
        return !channel.isEmpty();
    }

    /** The router's safe value characters: {@code A-Z a-z 0-9 _ - = @} (router ChannelName.isSafeValueChar). */
    static boolean isValueChar(char c) {
        return c >= 'a' && c <= 'z'
                || c >= 'A' && c <= 'Z'
                || c >= '0' && c <= '9'
                || c == '_'
                || c == '-'
                || c == '='
                || c == '@';
    }

    private static boolean isSeparator(char c) {
        return c == '.' || c == ',' || c == ';';
    }

    private static boolean hasSeparator(String literal) {
        for (int i = 0; i < literal.length(); i++) {
            if (isSeparator(literal.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return source;
    }
}
