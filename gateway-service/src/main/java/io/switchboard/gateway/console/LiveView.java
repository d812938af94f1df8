package io.switchboard.gateway.console;

import java.util.List;

/**
 * What the page's pusher-js client needs to subscribe like a real frontend: the app key (public: every frontend
 * holds it), where the Pusher-protocol server listens, the gateway's own channel auth endpoint, and the channels to
 * watch at first. Never the secret.
 *
 * @param wsHost a self-hosted server's host (Soketi, Reverb), or null for Pusher's own cluster
 * @param wsPort its port, or null for the scheme's default
 */
public record LiveView(
        String key,
        String cluster,
        String wsHost,
        Integer wsPort,
        boolean forceTls,
        String authEndpoint,
        List<String> channels) {}
