package io.switchboard.gateway.auth;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Who may read which channel, as data: a list of rules, the first whose channel template matches decides; a channel
 * no rule matches is refused. A rule does exactly one of:
 *
 * <ul>
 *   <li>{@code claims}: for each placeholder, the token claim that must equal it ({@code private-org.{org_id}} with
 *       {@code org_id: org_id}; {@code sub} is the subject);
 *   <li>{@code authorizer}: the URL of the service that owns the channel, asked with the caller's token, the channel
 *       and its placeholder values (see {@link HttpOwnerAuthorizer} for the contract); its placeholders count as
 *       checked, since the owner sees them;
 *   <li>{@code any-caller: true}: every verified caller.
 * </ul>
 *
 * <p>Start-up stops, naming the rule ({@code switchboard.auth.rules[i]}), when a template could be read two ways
 * (see {@link ChannelTemplate}), when a placeholder is used twice, and when a placeholder is checked by nothing: a
 * claims rule that does not name it, or an any-caller rule with a placeholder. Such a rule grants every value of the
 * placeholder to every caller it admits; when that is meant (a public lobby per room, say), the rule says so by
 * naming the placeholder in {@code unchecked: [room]}. An authorizer URL must be https, unless its host is loopback
 * or the rule sets {@code allow-http: true}.
 *
 * <p>Every caller must have a non-blank subject (the token rules refuse others earlier; this is checked again here,
 * so a presence identity or an owner call is never made for an empty one), and a user id ({@link UserIds}: every
 * claim {@code switchboard.auth.user-id} names), which is a presence member's {@code user_id}. Channel names longer
 * than 164 characters or with characters Pusher refuses are refused before any rule is tried. A
 * {@code private-encrypted-} channel is matched only against templates that start with {@code private-encrypted-}
 * (see {@link ChannelTemplate}).
 */
public final class ChannelPolicy implements ChannelAuthorizer {

    /**
     * One rule, as configured.
     *
     * @param channel a channel template: {@code private-} or {@code presence-}, then text and {@code {placeholder}}s
     * @param claims placeholder → the claim that must equal it ({@code sub} is the subject)
     * @param authorizer the owning service's URL, asked instead of comparing claims
     * @param anyCaller true to grant the channel to every verified caller
     * @param unchecked placeholders knowingly left unchecked (every value granted to every admitted caller)
     * @param allowHttp true to let {@code authorizer} be plain http on a non-loopback host
     */
    public record Rule(
            String channel,
            Map<String, String> claims,
            URI authorizer,
            boolean anyCaller,
            List<String> unchecked,
            boolean allowHttp) {

        public Rule {
            claims = claims == null ? Map.of() : Map.copyOf(claims);
            unchecked = unchecked == null ? List.of() : List.copyOf(unchecked);
        }

        /** A rule checking each placeholder against a claim. */
        public static Rule claims(String channel, Map<String, String> claims) {
            return new Rule(channel, claims, null, false, null, false);
        }

        /** A rule asking the channel's owner. */
        public static Rule owner(String channel, URI authorizer) {
            return new Rule(channel, null, authorizer, false, null, false);
        }

        /** A rule granting the channel to every verified caller. */
        public static Rule anyCaller(String channel) {
            return new Rule(channel, null, null, true, null, false);
        }
    }

    private record Compiled(int index, Rule rule, ChannelTemplate template) {}

    private final List<Compiled> rules;
    private final OwnerAuthorizer owners;
    private final List<String> presenceInfoClaims;
    private final UserIds userIds;

    /** A policy whose presence members' user_id is the token's {@code sub} ({@link UserIds#DEFAULT}). */
    public ChannelPolicy(List<Rule> rules, OwnerAuthorizer owners, List<String> presenceInfoClaims) {
        this(rules, owners, presenceInfoClaims, UserIds.subject());
    }

    /**
     * @param owners asks owning services; may be null when no rule names an authorizer
     * @param presenceInfoClaims the claims copied into a presence member's user_info (unless its owner gives one)
     * @param userIds a caller's user id (a presence member's user_id); a caller without one is refused
     * @throws IllegalArgumentException naming the rule and the field, for a rule that is unsafe or malformed
     */
    public ChannelPolicy(List<Rule> rules, OwnerAuthorizer owners, List<String> presenceInfoClaims, UserIds userIds) {
        List<Compiled> compiled = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            compiled.add(compile(i, rules.get(i), owners));
        }
        this.rules = List.copyOf(compiled);
        this.owners = owners;
        this.presenceInfoClaims = List.copyOf(presenceInfoClaims);
        this.userIds = userIds;
    }

    @Override
    public Decision decide(String channel, Caller caller) {
        if (channel == null
                || channel.length() > ChannelTemplate.MAX_CHANNEL_LENGTH
                || !ChannelTemplate.isChannelName(channel)) {
            return Decision.deny(
                    Refusal.NAME_INVALID,
                    "a channel name is 1 to 164 characters of A-Z a-z 0-9 _ - = @ , . ; (Pusher's rules)");
        }
        if (caller == null) {
            return Decision.deny(Refusal.NO_TOKEN, "a bearer token is required");
        }
        if (caller.subject() == null || caller.subject().isBlank()) {
            return Decision.deny(Refusal.NO_SUBJECT, "the token has no subject (sub)");
        }
        String userId = userIds.of(caller);
        if (userId == null) {
            return Decision.deny(Refusal.NO_USER_ID, userIds.problem(caller));
        }
        boolean encrypted = channel.startsWith(ChannelTemplate.ENCRYPTED_PREFIX);
        for (Compiled rule : rules) {
            if (encrypted && !rule.template().encrypted()) {
                // an encrypted channel's answer carries its shared secret: only a rule written for encrypted
                // channels may grant one (the compiler already refuses templates that could match one otherwise)
                continue;
            }
            Map<String, String> params = rule.template().match(channel);
            if (params == null) {
                continue;
            }
            Map<String, Object> ownerInfo = null;
            if (rule.rule().authorizer() != null) {
                OwnerAnswer answer = owners.ask(rule.rule().authorizer(), channel, params, caller);
                switch (answer.outcome()) {
                    case ALLOWED -> ownerInfo = answer.userInfo();
                    case REFUSED -> {
                        return Decision.deny(Refusal.OWNER_REFUSED, "the channel's owner refused");
                    }
                    case TIMEOUT -> {
                        return Decision.deny(Refusal.OWNER_TIMEOUT, "the channel's owner did not answer in time");
                    }
                    case BUSY -> {
                        return Decision.deny(Refusal.OWNER_BUSY, "the channel's owner is busy; try again shortly");
                    }
                    default -> {
                        return Decision.deny(Refusal.OWNER_ERROR, "the channel's owner could not be asked");
                    }
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
            return Decision.allow(channel.startsWith("presence-") ? presence(userId, caller, ownerInfo) : null);
        }
        return Decision.deny(Refusal.NO_RULE, "no rule grants this channel");
    }

    private Presence presence(String userId, Caller caller, Map<String, Object> ownerInfo) {
        if (ownerInfo != null) {
            return new Presence(userId, ownerInfo);
        }
        Map<String, Object> info = new LinkedHashMap<>();
        for (String claim : presenceInfoClaims) {
            Object value = caller.claims().get(claim);
            if (value != null) {
                info.put(claim, value);
            }
        }
        return new Presence(userId, info);
    }

    /**
     * The claims the rules compare, other than {@code sub}, that the user id ({@code switchboard.auth.user-id})
     * leaves out. Such a claim is usually a tenant ({@code org_id}); if a {@code sub} is unique only within it, users
     * of two tenants with the same {@code sub} become one Pusher user. Empty when there is nothing to warn about.
     */
    public List<String> claimsLeftOutOfUserId() {
        Set<String> checked = new LinkedHashSet<>();
        rules.forEach(c -> checked.addAll(c.rule().claims().values()));
        return userIds.leftOut(checked);
    }

    /**
     * The compiled policy in one readable block, for the start-up log: each rule, what checks each placeholder,
     * and every opt-in. No secrets: an authorizer URL is shown without user info or query.
     */
    public String describe() {
        StringBuilder text = new StringBuilder();
        text.append("channel policy: ")
                .append(rules.size())
                .append(" rule(s); the first whose channel matches decides, no match refuses; placeholder values: ")
                .append(ChannelTemplate.VALUE_CHARSET);
        for (Compiled c : rules) {
            Rule rule = c.rule();
            text.append("\n  rules[")
                    .append(c.index())
                    .append("] ")
                    .append(rule.channel())
                    .append(": ");
            if (rule.authorizer() != null) {
                text.append("the owner decides, ")
                        .append(HttpOwnerAuthorizer.display(rule.authorizer()))
                        .append(rule.allowHttp() ? " (allow-http)" : "");
                if (!c.template().placeholders().isEmpty()) {
                    text.append("; it is sent ").append(braced(c.template().placeholders()));
                }
            } else if (rule.anyCaller()) {
                text.append("any verified caller");
            } else {
                List<String> checks = new ArrayList<>();
                rule.claims().forEach((placeholder, claim) -> checks.add("{" + placeholder + "} = claim " + claim));
                text.append(String.join(", ", checks));
            }
            if (!rule.unchecked().isEmpty()) {
                text.append("; UNCHECKED by opt-in: ")
                        .append(braced(rule.unchecked()))
                        .append(" (every value, to every caller the rule admits)");
            }
        }
        text.append("\n  presence members and user sign-in: user_id = ")
                .append(userIds)
                .append(", user_info = the owner's user_info, else claims ")
                .append(presenceInfoClaims);
        return text.toString();
    }

    private static String braced(List<String> names) {
        return String.join(", ", names.stream().map(n -> "{" + n + "}").toList());
    }

    private static Compiled compile(int index, Rule rule, OwnerAuthorizer owners) {
        String where = "switchboard.auth.rules[" + index + "]";
        ChannelTemplate template = ChannelTemplate.compile(where + ".channel", rule.channel());
        boolean hasClaims = !rule.claims().isEmpty();
        boolean hasAuthorizer = rule.authorizer() != null;
        if ((hasClaims ? 1 : 0) + (hasAuthorizer ? 1 : 0) + (rule.anyCaller() ? 1 : 0) != 1) {
            throw new IllegalArgumentException(where + " needs exactly one of claims, authorizer and any-caller");
        }
        List<String> placeholders = template.placeholders();
        for (String placeholder : rule.claims().keySet()) {
            if (!placeholders.contains(placeholder)) {
                throw new IllegalArgumentException(
                        where + ".claims names {" + placeholder + "}, which " + rule.channel() + " does not have");
            }
        }
        for (String placeholder : rule.unchecked()) {
            if (!placeholders.contains(placeholder)) {
                throw new IllegalArgumentException(
                        where + ".unchecked names {" + placeholder + "}, which " + rule.channel() + " does not have");
            }
            if (rule.claims().containsKey(placeholder)) {
                throw new IllegalArgumentException(
                        where + ".unchecked names {" + placeholder + "}, which its claims check: choose one");
            }
        }
        if (hasAuthorizer) {
            checkAuthorizer(where, rule);
            if (owners == null) {
                throw new IllegalArgumentException(where + ".authorizer is set but no authorizer client is configured");
            }
            if (!rule.unchecked().isEmpty()) {
                throw new IllegalArgumentException(
                        where + ".unchecked is not needed: the owner is sent every placeholder, so it checks them all");
            }
        } else {
            if (rule.allowHttp()) {
                throw new IllegalArgumentException(where + ".allow-http applies only to a rule with an authorizer");
            }
            for (String placeholder : placeholders) {
                if (!rule.claims().containsKey(placeholder) && !rule.unchecked().contains(placeholder)) {
                    throw new IllegalArgumentException(where + " (" + rule.channel() + ") leaves {" + placeholder
                            + "} unchecked, so " + (rule.anyCaller() ? "any caller" : "a caller whose claims match")
                            + " could read it for every value of {" + placeholder + "}. Check it with a claim"
                            + " (claims: {" + placeholder + ": <claim>}), ask its owner (authorizer), or, if every"
                            + " value is meant for every such caller, say so with unchecked: [" + placeholder + "]");
                }
            }
        }
        return new Compiled(index, rule, template);
    }

    private static void checkAuthorizer(String where, Rule rule) {
        URI url = rule.authorizer();
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (url.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            throw new IllegalArgumentException(where + ".authorizer must be an absolute https URL, not " + url);
        }
        if (url.getRawUserInfo() != null) {
            throw new IllegalArgumentException(where + ".authorizer may not carry credentials in its URL");
        }
        if (scheme.equals("http") && !rule.allowHttp() && !loopback(url.getHost())) {
            throw new IllegalArgumentException(where + ".authorizer " + HttpOwnerAuthorizer.display(url)
                    + " is plain http to "
                    + url.getHost() + ": callers' tokens would cross the network unencrypted. Use https, or set "
                    + where + ".allow-http: true if that network is trusted");
        }
    }

    /** Loopback by name or literal address; no DNS lookup (a name could resolve differently later). */
    static boolean loopback(String host) {
        return Loopback.host(host);
    }
}
