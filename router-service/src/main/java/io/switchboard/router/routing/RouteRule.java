package io.switchboard.router.routing;

import java.util.List;

/**
 * One routing rule as written in the rules file: which event types it matches (globs, {@code *} matches any run of
 * characters, dots included), the channel templates it yields ({@code {field}} takes the payload's top-level field),
 * whether its channels get the {@code private-} prefix (null: the service default), and extra fields to keep when a
 * payload is truncated.
 */
public record RouteRule(
        String name, List<String> types, List<String> channels, Boolean privateChannels, List<String> keep) {

    public RouteRule {
        types = types == null ? List.of() : List.copyOf(types);
        channels = channels == null ? List.of() : List.copyOf(channels);
        keep = keep == null ? List.of() : List.copyOf(keep);
    }
}
