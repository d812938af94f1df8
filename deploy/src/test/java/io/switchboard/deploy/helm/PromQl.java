package io.switchboard.deploy.helm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression reads.
 *
 * <p>Hand-written, and only a tokenizer: Maven Central has no PromQL parser for Java that is kept up (the one
 * found, io.github.oatelauser:promql-core, is a single 1.0.0 release of a young port), and the question asked here
 * is narrow. It drops what cannot be a metric name: string literals, label matchers inside {@code {...}}, ranges and
 * subqueries inside {@code [...]}, numbers and durations, function names (an identifier followed by {@code (}),
 * aggregation operators, keywords and operators, and the label lists after {@code by}, {@code without}, {@code on},
 * {@code ignoring}, {@code group_left} and {@code group_right}. What is left is every selector's metric name.
 */
public final class PromQl {

    /** Keywords, and the aggregation operators, which may stand before their {@code by (...)} clause. */
    private static final Set<String> KEYWORDS = Set.of(
            "by",
            "without",
            "on",
            "ignoring",
            "group_left",
            "group_right",
            "bool",
            "and",
            "or",
            "unless",
            "offset",
            "atan2",
            "inf",
            "nan",
            "start",
            "end",
            "sum",
            "min",
            "max",
            "avg",
            "group",
            "stddev",
            "stdvar",
            "count",
            "count_values",
            "bottomk",
            "topk",
            "quantile",
            "limitk",
            "limit_ratio");

    private static final Set<String> LABEL_LIST_KEYWORDS =
            Set.of("by", "without", "on", "ignoring", "group_left", "group_right");

    private static final Pattern MATCHER =
            Pattern.compile("\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*,?");

    /**
     * A selector: a metric name and its label matchers ({@code label -> "=value"}, {@code "=~regex"}, {@code "!=value"}
     * or {@code "!~regex"}).
     */
    public record Selector(String metric, Map<String, String> matchers) {}

    private PromQl() {}

    public static Set<String> metricNames(String expression) {
        Set<String> names = new LinkedHashSet<>();
        for (Selector selector : selectors(expression)) {
            names.add(selector.metric());
        }
        return names;
    }

    /** Every selector with a metric name, in order, with its label matchers. */
    public static List<Selector> selectors(String expression) {
        List<Selector> selectors = new ArrayList<>();
        String s = expression;
        int i = 0;
        int depth = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '(' || c == ')') {
                depth += c == '(' ? 1 : -1;
                if (depth < 0) {
                    throw new IllegalArgumentException("unbalanced ')' in: " + s);
                }
                i++;
            } else if (c == '"' || c == '\'' || c == '`') {
                i = skipString(s, i);
            } else if (c == '{') {
                i = skipBalanced(s, i, '{', '}');
            } else if (c == '[') {
                i = skipBalanced(s, i, '[', ']');
            } else if (c == '#') { // a comment runs to the end of the line
                int newline = s.indexOf('\n', i);
                i = newline < 0 ? s.length() : newline + 1;
            } else if (c == '$') { // a dashboard variable ($__rate_interval, ${job})
                i++;
                if (i < s.length() && s.charAt(i) == '{') {
                    i = skipBalanced(s, i, '{', '}');
                } else {
                    while (i < s.length() && isNamePart(s.charAt(i))) {
                        i++;
                    }
                }
            } else if (Character.isDigit(c) || (c == '.' && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1)))) {
                // numbers (0.99, 1e3, 0x1f) and durations (5m, 1h30m)
                while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                    i++;
                }
            } else if (isNameStart(c)) {
                int start = i;
                while (i < s.length() && isNamePart(s.charAt(i))) {
                    i++;
                }
                String word = s.substring(start, i);
                int next = skipSpaces(s, i);
                boolean call = next < s.length() && s.charAt(next) == '(';
                if (LABEL_LIST_KEYWORDS.contains(word.toLowerCase())) {
                    if (call) {
                        i = skipBalanced(s, next, '(', ')');
                    }
                } else if (!call && !KEYWORDS.contains(word.toLowerCase())) {
                    Map<String, String> matchers = new LinkedHashMap<>();
                    if (next < s.length() && s.charAt(next) == '{') {
                        i = skipBalanced(s, next, '{', '}');
                        matchers = matchers(s.substring(next + 1, i - 1));
                    }
                    selectors.add(new Selector(word, matchers));
                }
            } else {
                i++;
            }
        }
        if (depth != 0) {
            throw new IllegalArgumentException("unbalanced '(' in: " + s);
        }
        return selectors;
    }

    /**
     * The alternatives of a label matcher's regular expression, split at each {@code |} that stands outside brackets
     * and is not escaped: {@code realtime\.events|realtime\.publish} gives {@code realtime\.events} and
     * {@code realtime\.publish}. Each is still a regular expression, anchored at both ends as Prometheus anchors
     * the whole.
     */
    public static List<String> alternatives(String regex) {
        List<String> alternatives = new ArrayList<>();
        int depth = 0;
        boolean inClass = false;
        int start = 0;
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\') {
                i++; // the escaped character is a literal
            } else if (inClass) {
                inClass = c != ']';
            } else if (c == '[') {
                inClass = true;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == '|' && depth == 0) {
                alternatives.add(regex.substring(start, i));
                start = i + 1;
            }
        }
        alternatives.add(regex.substring(start));
        return alternatives;
    }

    private static Map<String, String> matchers(String inside) {
        Map<String, String> matchers = new LinkedHashMap<>();
        Matcher m = MATCHER.matcher(inside);
        int at = 0;
        while (at < inside.length() && m.find(at) && m.start() == at) {
            matchers.put(m.group(1), m.group(2) + m.group(3).replace("\\\\", "\\"));
            at = m.end();
        }
        if (!inside.substring(at).isBlank()) {
            throw new IllegalArgumentException("cannot read the label matchers {" + inside + "}");
        }
        return matchers;
    }

    private static boolean isNameStart(char c) {
        return Character.isLetter(c) || c == '_' || c == ':';
    }

    private static boolean isNamePart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == ':';
    }

    private static int skipSpaces(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int skipString(String s, int i) {
        char quote = s.charAt(i);
        i++;
        while (i < s.length() && s.charAt(i) != quote) {
            i += s.charAt(i) == '\\' && quote != '`' ? 2 : 1;
        }
        return i + 1;
    }

    /** Past the bracket that closes the one at {@code i}, strings inside skipped whole. */
    private static int skipBalanced(String s, int i, char open, char close) {
        int depth = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                i = skipString(s, i);
                continue;
            }
            if (c == open) {
                depth++;
            } else if (c == close && --depth == 0) {
                return i + 1;
            }
            i++;
        }
        throw new IllegalArgumentException("unbalanced '" + open + "' in: " + s);
    }
}
