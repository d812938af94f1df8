package io.switchboard.gateway.auth;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A caller's user id for Pusher, from {@code switchboard.auth.user-id} (env {@code SWITCHBOARD_AUTH_USER_ID}): a
 * presence member's {@code user_id} and user authentication's {@code user_data.id}. Two callers with the same id are
 * one Pusher user (one presence member; a backend event to that user reaches both), so the id must be unique across
 * tenants. The template joins claims with literal text: {@code {sub}} (the default) or {@code {org_id}:{sub}} when a
 * {@code sub} is unique only within its organisation.
 *
 * <p>Every claim the template names is required (a string or an integer, not blank); a caller lacking one has no
 * user id and is refused. The id is read back one way only: placeholders are separated by literal text, and every
 * value but the last may not hold the first character of the text after it ({@code {org_id}:{sub}}: an
 * {@code org_id} with a {@code :} is refused, a {@code sub} may hold anything). Otherwise org {@code 1:2} with sub
 * {@code 3} and org {@code 1} with sub {@code 2:3} would both be {@code 1:2:3}. So put the free-form claim last.
 */
public final class UserIds {

    /** The default: the token's {@code sub}. */
    public static final String DEFAULT = "{sub}";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");

    private final String source;
    private final List<String> literals; // literals.get(i) comes before claims.get(i); one more literal at the end
    private final List<String> claims;

    private UserIds(String source, List<String> literals, List<String> claims) {
        this.source = source;
        this.literals = literals;
        this.claims = claims;
    }

    /** The default template, {@code {sub}}. */
    public static UserIds subject() {
        return compile("switchboard.auth.user-id", DEFAULT);
    }

    /**
     * @param where the setting, for messages
     * @throws IllegalArgumentException naming {@code where}, for a template that names no claim, has a malformed or
     *     adjacent placeholder
     */
    public static UserIds compile(String where, String template) {
        if (template == null || template.isBlank()) {
            throw new IllegalArgumentException(where + " must name at least one claim, for example " + DEFAULT);
        }
        List<String> literals = new ArrayList<>();
        List<String> claims = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(template);
        int at = 0;
        while (m.find()) {
            String literal = literal(where, template, template.substring(at, m.start()));
            String claim = m.group(1).trim();
            if (claim.isEmpty()) {
                throw new IllegalArgumentException(where + " has an empty placeholder {} in " + template);
            }
            if (!claims.isEmpty() && literal.isEmpty()) {
                throw new IllegalArgumentException(where + " has {" + claims.get(claims.size() - 1) + "} and {" + claim
                        + "} side by side in " + template
                        + ": put text between them (for example {org_id}:{sub}), or two ids could be read alike");
            }
            literals.add(literal);
            claims.add(claim);
            at = m.end();
        }
        literals.add(literal(where, template, template.substring(at)));
        if (claims.isEmpty()) {
            throw new IllegalArgumentException(where + " names no claim (" + template
                    + "): every caller would be one user. For example " + DEFAULT + " or {org_id}:{sub}");
        }
        return new UserIds(template, List.copyOf(literals), List.copyOf(claims));
    }

    private static String literal(String where, String template, String text) {
        if (text.indexOf('{') >= 0 || text.indexOf('}') >= 0) {
            throw new IllegalArgumentException(where + " has a malformed placeholder: " + template);
        }
        return text;
    }

    /** The claims the id is made of, in order. */
    public List<String> claims() {
        return claims;
    }

    /** The caller's user id, or null when the caller lacks a claim of it ({@link #problem} says which). */
    public String of(Caller caller) {
        return problem(caller) == null ? build(caller) : null;
    }

    /** Why the caller has no user id, safe to return to the caller; null when it has one. */
    public String problem(Caller caller) {
        if (caller == null) {
            return "no verified caller";
        }
        for (int i = 0; i < claims.size(); i++) {
            String value = caller.claim(claims.get(i));
            if (value == null || value.isBlank()) {
                return "the token has no " + claims.get(i) + " (a string or an integer), which the user id (" + source
                        + ", switchboard.auth.user-id) is made of";
            }
            if (i < claims.size() - 1 && value.indexOf(literals.get(i + 1).charAt(0)) >= 0) {
                return "the token's " + claims.get(i) + " holds '"
                        + literals.get(i + 1).charAt(0) + "', which separates it from the next claim in the user id ("
                        + source + ")";
            }
        }
        return null;
    }

    private String build(Caller caller) {
        StringBuilder id = new StringBuilder();
        for (int i = 0; i < claims.size(); i++) {
            id.append(literals.get(i)).append(caller.claim(claims.get(i)));
        }
        return id.append(literals.get(claims.size())).toString();
    }

    /**
     * The claims the given rules compare (other than {@code sub}) that the id leaves out: tenant-like claims, such as
     * {@code org_id}, whose users may share a {@code sub} with another tenant's.
     */
    public List<String> leftOut(Set<String> checkedClaims) {
        Set<String> missing = new LinkedHashSet<>(checkedClaims);
        missing.remove("sub");
        missing.removeAll(claims);
        return List.copyOf(missing);
    }

    @Override
    public String toString() {
        return source;
    }
}
