package io.switchboard.router.routing;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Pure routing: an event's type and payload to its channels, by the first matching rule. Knows nothing of Kafka.
 * A rule that yields no channel sends the event to {@code global} (with the rule's prefix); explicit channels skip
 * the rules and are only validated.
 */
public final class ChannelRouter {

    /** Pusher's limit of channels in one trigger. */
    public static final int MAX_CHANNELS = 100;

    /** Where an event goes, and which rule said so ({@code explicit} for producer-chosen channels). */
    public record RoutingDecision(String rule, List<ChannelName> channels, List<String> keep) {}

    private final List<RoutingTable.CompiledRule> rules;
    private final ChannelName globalPrivate = new ChannelName("private-global");
    private final ChannelName globalPublic = new ChannelName("global");
    private final boolean privateByDefault;

    public ChannelRouter(RoutingTable table, boolean privateByDefault) {
        this.rules = table.compiled();
        this.privateByDefault = privateByDefault;
    }

    public RoutingDecision route(String type, JsonNode payload, List<String> explicitChannels) {
        if (explicitChannels != null && !explicitChannels.isEmpty()) {
            return new RoutingDecision("explicit", explicit(explicitChannels), List.of());
        }
        for (RoutingTable.CompiledRule rule : rules) {
            if (rule.types().matcher(type).matches()) {
                Set<ChannelName> channels = new LinkedHashSet<>();
                for (ChannelTemplate template : rule.channels()) {
                    ChannelName channel = template.render(payload);
                    if (channel != null) {
                        channels.add(channel);
                    }
                }
                if (channels.isEmpty()) {
                    channels.add(rule.global());
                }
                return new RoutingDecision(rule.name(), List.copyOf(channels), rule.keep());
            }
        }
        return new RoutingDecision("none", List.of(privateByDefault ? globalPrivate : globalPublic), List.of());
    }

    private static List<ChannelName> explicit(List<String> names) {
        Set<String> unique = new LinkedHashSet<>(names);
        if (unique.size() > MAX_CHANNELS) {
            throw new RoutingException(
                    RoutingException.Reason.TOO_MANY_CHANNELS,
                    unique.size() + " explicit channels, over Pusher's " + MAX_CHANNELS + " per event");
        }
        List<ChannelName> channels = new ArrayList<>(unique.size());
        for (String name : unique) {
            try {
                channels.add(new ChannelName(name));
            } catch (IllegalArgumentException e) {
                throw new RoutingException(RoutingException.Reason.INVALID_CHANNEL, "explicit " + e.getMessage());
            }
        }
        return List.copyOf(channels);
    }
}
