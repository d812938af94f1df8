package io.switchboard.router.routing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The routing rules, read from YAML into immutable {@link RouteRule}s and compiled once: globs into patterns,
 * templates into {@link ChannelTemplate}s. A bad rule stops start-up with a message naming the rule and the field.
 */
public final class RoutingTable {

    /** The default table (contracts section 3), shipped with the service. */
    public static final String DEFAULT_RESOURCE = "/switchboard/routes.yml";

    private static final Set<String> RULE_KEYS = Set.of("name", "types", "channels", "private", "keep");
    private static final Pattern GLOB = Pattern.compile("[A-Za-z0-9_.\\-*]+");

    /** A rule ready to match: nothing in it is parsed again per event. */
    record CompiledRule(
            String name, Pattern types, List<ChannelTemplate> channels, ChannelName global, List<String> keep) {}

    private final List<RouteRule> rules;
    private final List<CompiledRule> compiled;

    private RoutingTable(List<RouteRule> rules, boolean privateByDefault) {
        this.rules = List.copyOf(rules);
        List<CompiledRule> out = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            out.add(compile(i, rules.get(i), privateByDefault));
        }
        this.compiled = List.copyOf(out);
    }

    public static RoutingTable of(List<RouteRule> rules, boolean privateByDefault) {
        if (rules.isEmpty()) {
            throw new InvalidRuleException("the rules file holds no rules");
        }
        return new RoutingTable(rules, privateByDefault);
    }

    /** The built-in table. */
    public static RoutingTable defaults(boolean privateByDefault) {
        try (InputStream in = RoutingTable.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing " + DEFAULT_RESOURCE);
            }
            return of(parse(in, DEFAULT_RESOURCE), privateByDefault);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The table in this file, or the built-in one when {@code file} is null. */
    public static RoutingTable load(Path file, boolean privateByDefault) {
        if (file == null) {
            return defaults(privateByDefault);
        }
        try (InputStream in = Files.newInputStream(file)) {
            return of(parse(in, file.toString()), privateByDefault);
        } catch (IOException e) {
            throw new InvalidRuleException("cannot read the rules file " + file + ": " + e.getMessage());
        }
    }

    public List<RouteRule> rules() {
        return rules;
    }

    List<CompiledRule> compiled() {
        return compiled;
    }

    static List<RouteRule> parse(InputStream in, String where) {
        Object root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
        } catch (RuntimeException e) {
            throw new InvalidRuleException(where + " is not valid YAML: " + e.getMessage());
        }
        if (!(root instanceof Map<?, ?> map) || !(map.get("rules") instanceof List<?> list)) {
            throw new InvalidRuleException(where + " must hold a top-level list 'rules'");
        }
        List<RouteRule> rules = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> raw)) {
                throw new InvalidRuleException("rule #" + (i + 1) + " in " + where + " is not a mapping");
            }
            Map<String, Object> rule = new LinkedHashMap<>();
            raw.forEach((k, v) -> rule.put(String.valueOf(k), v));
            String name = rule.get("name") instanceof String s && !s.isBlank() ? s : null;
            String label = name == null ? "rule #" + (i + 1) : "rule '" + name + "'";
            for (String key : rule.keySet()) {
                if (!RULE_KEYS.contains(key)) {
                    throw new InvalidRuleException(label + ": unknown field '" + key + "' (known: " + RULE_KEYS + ")");
                }
            }
            if (name == null) {
                throw new InvalidRuleException(label + ": field 'name' may not be empty");
            }
            Object privateFlag = rule.get("private");
            if (privateFlag != null && !(privateFlag instanceof Boolean)) {
                throw new InvalidRuleException(label + ": field 'private' must be true or false");
            }
            rules.add(new RouteRule(
                    name,
                    strings(rule, "types", label),
                    strings(rule, "channels", label),
                    (Boolean) privateFlag,
                    strings(rule, "keep", label)));
        }
        return rules;
    }

    private static List<String> strings(Map<String, Object> rule, String field, String label) {
        Object value = rule.get(field);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw new InvalidRuleException(label + ": field '" + field + "' must be a list");
        }
        List<String> out = new ArrayList<>();
        for (Object item : list) {
            if (!(item instanceof String s)) {
                throw new InvalidRuleException(label + ": field '" + field + "' holds " + item + ", not a string");
            }
            out.add(s);
        }
        return out;
    }

    private static CompiledRule compile(int index, RouteRule rule, boolean privateByDefault) {
        String label = "rule '" + rule.name() + "' (#" + (index + 1) + ")";
        if (rule.types().isEmpty()) {
            throw new InvalidRuleException(label + ": field 'types' may not be empty");
        }
        if (rule.channels().isEmpty()) {
            throw new InvalidRuleException(label + ": field 'channels' may not be empty");
        }
        StringBuilder regex = new StringBuilder();
        for (String glob : rule.types()) {
            if (!GLOB.matcher(glob).matches()) {
                throw new InvalidRuleException(
                        label + ": field 'types' has '" + glob + "': a glob holds only letters, digits, _ - . and *");
            }
            if (!regex.isEmpty()) {
                regex.append('|');
            }
            for (String part : glob.split("\\*", -1)) {
                regex.append(Pattern.quote(part)).append(".*");
            }
            regex.setLength(regex.length() - 2);
        }
        String prefix = (rule.privateChannels() == null ? privateByDefault : rule.privateChannels()) ? "private-" : "";
        List<ChannelTemplate> templates = new ArrayList<>();
        for (int c = 0; c < rule.channels().size(); c++) {
            try {
                templates.add(ChannelTemplate.compile(rule.channels().get(c), prefix));
            } catch (IllegalArgumentException e) {
                throw new InvalidRuleException(label + ": field 'channels[" + c + "]': " + e.getMessage());
            }
        }
        for (String keep : rule.keep()) {
            if (keep.isBlank()) {
                throw new InvalidRuleException(label + ": field 'keep' has an empty field name");
            }
        }
        return new CompiledRule(
                rule.name(),
                Pattern.compile(regex.toString()),
                List.copyOf(templates),
                new ChannelName(prefix + "global"),
                rule.keep());
    }

    /** A rules file that cannot be used; the message names the rule and the field. */
    public static final class InvalidRuleException extends IllegalArgumentException {
        public InvalidRuleException(String message) {
            super(message);
        }
    }
}
