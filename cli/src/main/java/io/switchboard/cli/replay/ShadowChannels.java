package io.switchboard.cli.replay;

import io.switchboard.router.routing.ChannelName;
import java.util.List;

/**
 * Maps a channel to its shadow: the prefix goes after Pusher's channel-type prefix ({@code private-encrypted-},
 * {@code private-}, {@code presence-}), so the shadow keeps the channel's type and authorization rules but is never a
 * channel users subscribe to: {@code private-audit-A} becomes {@code private-debug-audit-A}, {@code global} becomes
 * {@code debug-global}. A prefix that is empty, holds characters other than {@code A-Z a-z 0-9 _ - = @}, or starts
 * with a channel-type prefix (which would turn {@code global} into the users' {@code private-global}) is refused.
 */
final class ShadowChannels {

    /** Longest first: private-encrypted- is also private-. */
    static final List<String> TYPE_PREFIXES = List.of("private-encrypted-", "private-", "presence-");

    private final String prefix;

    ShadowChannels(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            throw new IllegalArgumentException("--shadow-prefix may not be empty: shadow channels must differ from"
                    + " the users' channels, e.g. --shadow-prefix debug-");
        }
        for (char c : prefix.toCharArray()) {
            if (!(c >= 'a' && c <= 'z'
                    || c >= 'A' && c <= 'Z'
                    || c >= '0' && c <= '9'
                    || c == '_'
                    || c == '-'
                    || c == '='
                    || c == '@')) {
                throw new IllegalArgumentException("--shadow-prefix '" + prefix + "' has '" + c
                        + "': a shadow prefix may hold only A-Z a-z 0-9 _ - = @");
            }
        }
        for (String type : List.of("private-", "presence-", "encrypted-")) {
            if (prefix.startsWith(type)) {
                throw new IllegalArgumentException("--shadow-prefix '" + prefix + "' starts with " + type
                        + ": it would turn a channel into another type of channel, maybe a user's");
            }
        }
        this.prefix = prefix;
    }

    /** The shadow of {@code channel}; throws {@link IllegalArgumentException} when it is not a valid channel name. */
    String map(String channel) {
        String type =
                TYPE_PREFIXES.stream().filter(channel::startsWith).findFirst().orElse("");
        String shadow = type + prefix + channel.substring(type.length());
        try {
            return new ChannelName(shadow).value();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "--shadow-prefix '" + prefix + "' makes " + channel + " an invalid channel: " + e.getMessage());
        }
    }

    List<String> map(List<String> channels) {
        return channels.stream().map(this::map).toList();
    }

    String prefix() {
        return prefix;
    }
}
