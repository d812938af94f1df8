package io.switchboard.gateway.auth;

/** How the auth endpoint decides ({@code switchboard.auth.mode}, env {@code SWITCHBOARD_AUTH_MODE}). */
public enum AuthMode {
    /** Refuse every channel. The default, so a deployment that forgot to configure auth leaks nothing. */
    DENY,
    /**
     * Callers present a JWT (HS256 secret or JWKS); the channel policy ({@code switchboard.auth.rules}) says who may
     * read which channel.
     */
    JWT,
    /**
     * Local development only: any well-formed private channel is signed for anyone, as the source systems did (seed
     * 004). Presence channels are refused: there is no user to put in channel_data. Logs a warning at start.
     */
    NAMES_ONLY
}
