package io.switchboard.gateway.auth;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who may read which channel, as data: a list of rules, the first whose channel template matches decides. A rule
 * names, for each placeholder, the JWT claim that must equal it ({@code private-org.{org_id}} with
 * {@code org_id: org_id}), or names the authorizer URL of the service that owns the channel, or grants the channel
 * to any verified caller ({@code any-caller: true}); exactly one of the three. A channel no rule matches is refused. Templates are compiled once, when the service starts;
 * a bad rule stops it with a message naming the rule and the field.
 */
public final class ChannelPolicy implements ChannelAuthorizer {

    /**
     * One rule, as configured.
     *
     * @param channel a channel template: {@code private-} or {@code presence-}, then text and {@code {placeholder}}s
     * @param claims placeholder → the claim that must equal it ({@code sub} is the subject)
     * @param authorizer the owning service's URL, asked instead of comparing claims
     * @param anyCaller true to grant the channel to every verified caller
     */
    public record Rule(String channel, Map<String, String> claims, URI authorizer, boolean anyCaller) {

        public Rule {
            claims = claims == null ? Map.of() : Map.copyOf(claims);
        }
    }

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)}");
    // a placeholder value: Pusher's channel-name characters
    private static final String VALUE = "([A-Za-z0-9_\\-=@,.;]+)";

    private record Compiled(int index, Rule rule, Pattern pattern, List<String> placeholders) {}

    private final List<Compiled> rules;
    private final OwnerAuthorizer owners;
    private final List<String> presenceInfoClaims;

    /**
     * @param owners asks owning services; may be null when no rule names an authorizer
     * @param presenceInfoClaims the claims copied into a presence member's user_info
     */
    public ChannelPolicy(List<Rule> rules, OwnerAuthorizer owners, List<String> presenceInfoClaims) {
        List<Compiled> compiled = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            compiled.add(compile(i, rules.get(i), owners));
        }
        this.rules = List.copyOf(compiled);
        this.owners = owners;
        this.presenceInfoClaims = List.copyOf(presenceInfoClaims);
    }

    @Override
    public Decision decide(String channel, Caller caller) {
        if (caller == null) {
            return Decision.deny(Refusal.NO_TOKEN, "a bearer token is required");
        }
        for (Compiled rule : rules) {
            Matcher m = rule.pattern().matcher(channel);
            if (!m.matches()) {
                continue;
            }
            Map<String, String> params = new LinkedHashMap<>();
            for (int g = 0; g < rule.placeholders().size(); g++) {
                params.put(rule.placeholders().get(g), m.group(g + 1));
            }
            if (rule.rule().authorizer() != null) {
                if (!owners.allows(rule.rule().authorizer(), channel, params, caller)) {
                    return Decision.deny(Refusal.OWNER_REFUSED, "the channel's owner refused");
                }
            } else {
                for (Map.Entry<String, String> required : rule.rule().claims().entrySet()) {
                    if (!params.get(required.getKey()).equals(caller.claim(required.getValue()))) {
                        return Decision.deny(
                                Refusal.CLAIM_MISMATCH,
                                "the token's " + required.getValue() + " does not match the channel");
                    }
                }
            }
            return Decision.allow(channel.startsWith("presence-") ? presence(caller) : null);
        }
        return Decision.deny(Refusal.NO_RULE, "no rule grants this channel");
    }

    private Presence presence(Caller caller) {
        Map<String, Object> info = new LinkedHashMap<>();
        for (String claim : presenceInfoClaims) {
            Object value = caller.claims().get(claim);
            if (value != null) {
                info.put(claim, value);
            }
        }
        return new Presence(caller.subject(), info);
    }

    private static Compiled compile(int index, Rule rule, OwnerAuthorizer owners) {
        String where = "switchboard.auth.rules[" + index + "]";
        String template = rule.channel();
        if (template == null || !(template.startsWith("private-") || template.startsWith("presence-"))) {
            throw new IllegalArgumentException(
                    where + ".channel must start with private- or presence-, not " + template);
        }
        boolean hasClaims = !rule.claims().isEmpty();
        boolean hasAuthorizer = rule.authorizer() != null;
        if ((hasClaims ? 1 : 0) + (hasAuthorizer ? 1 : 0) + (rule.anyCaller() ? 1 : 0) != 1) {
            throw new IllegalArgumentException(where + " needs exactly one of claims, authorizer and any-caller");
        }
        if (hasAuthorizer && owners == null) {
            throw new IllegalArgumentException(where + ".authorizer is set but no authorizer client is configured");
        }
        StringBuilder regex = new StringBuilder();
        List<String> placeholders = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(template);
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(template.substring(last, m.start()))).append(VALUE);
            placeholders.add(m.group(1));
            last = m.end();
        }
        String tail = template.substring(last);
        String literal = PLACEHOLDER.matcher(template).replaceAll("");
        if (literal.contains("{") || literal.contains("}")) {
            throw new IllegalArgumentException(where + ".channel has a malformed placeholder: " + template);
        }
        regex.append(Pattern.quote(tail));
        if (hasClaims) {
            for (String placeholder : rule.claims().keySet()) {
                if (!placeholders.contains(placeholder)) {
                    throw new IllegalArgumentException(
                            where + ".claims names {" + placeholder + "}, which " + template + " does not have");
                }
            }
        }
        return new Compiled(index, rule, Pattern.compile(regex.toString()), List.copyOf(placeholders));
    }
}
