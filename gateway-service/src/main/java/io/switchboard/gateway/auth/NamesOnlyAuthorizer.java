package io.switchboard.gateway.auth;

/**
 * {@link AuthMode#NAMES_ONLY}, for local development: any private channel for anyone, as the source systems did (seed
 * 004). Two kinds of channel are refused whoever asks: presence channels (there is no user to put in channel_data)
 * and encrypted channels ({@code private-encrypted-}), whose answer carries the channel's shared secret: an anonymous
 * caller holding it could read every event of the channel, which is what end-to-end encryption is for.
 *
 * <p>The mode only starts on a loopback address, unless an operator opts in (see {@code AuthConfig}).
 */
public final class NamesOnlyAuthorizer implements ChannelAuthorizer {

    @Override
    public Decision decide(String channel, Caller caller) {
        if (channel == null) {
            return Decision.deny(Refusal.NAME_INVALID, "a channel name is required");
        }
        if (channel.startsWith("presence-")) {
            return Decision.deny(Refusal.MODE_REFUSES, "presence channels need an authenticated user");
        }
        if (channel.startsWith(ChannelTemplate.ENCRYPTED_PREFIX)) {
            return Decision.deny(
                    Refusal.MODE_REFUSES,
                    "encrypted channels need an authenticated caller: their shared secret is never given out in"
                            + " names-only mode");
        }
        return Decision.allow();
    }
}
