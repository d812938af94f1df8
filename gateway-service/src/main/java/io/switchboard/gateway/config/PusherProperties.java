package io.switchboard.gateway.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The Pusher app (contracts section 6). With {@code host} unset, Pusher's own API for {@code cluster} over https;
 * with it set, a self-hosted Pusher-protocol server (Soketi, Reverb) at host:port over {@code scheme}.
 * {@code encryptionMasterKeyBase64} (env {@code PUSHER_ENCRYPTION_MASTER_KEY_BASE64}) derives the shared secret of each
 * {@code private-encrypted-} channel. The secret and the master key never appear in {@link #toString()}, logs or errors.
 */
@ConfigurationProperties("switchboard.pusher")
public record PusherProperties(
        String appId,
        String key,
        String secret,
        @DefaultValue("mt1") String cluster,
        String host,
        Integer port,
        @DefaultValue("https") String scheme,
        String encryptionMasterKeyBase64) {

    public PusherProperties {
        if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException(
                    "switchboard.pusher.scheme (PUSHER_SCHEME) must be http or https, not " + scheme);
        }
        if (port != null && (port < 1 || port > 65535)) {
            throw new IllegalArgumentException(
                    "switchboard.pusher.port (PUSHER_PORT) must be from 1 to 65535, not " + port);
        }
        if (!notBlank(host) && !notBlank(cluster)) {
            throw new IllegalArgumentException(
                    "switchboard.pusher.cluster (PUSHER_CLUSTER) must be set when switchboard.pusher.host is not");
        }
    }

    public boolean configured() {
        return notBlank(appId) && notBlank(key) && notBlank(secret);
    }

    /** host[:port] for pusher-http-java's setHost, or null for Pusher's own cluster host. */
    public String hostAndPort() {
        if (!notBlank(host)) {
            return null;
        }
        return port == null ? host : host + ":" + port;
    }

    /** True when {@code PUSHER_ENCRYPTION_MASTER_KEY_BASE64} is set: {@code private-encrypted-} channels work. */
    public boolean encryptionEnabled() {
        return notBlank(encryptionMasterKeyBase64);
    }

    public boolean encrypted() {
        return !"http".equalsIgnoreCase(scheme);
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    @Override
    public String toString() {
        return "PusherProperties[appId=" + appId + ", key=" + key + ", secret=" + (notBlank(secret) ? "***" : "<unset>")
                + ", cluster=" + cluster + ", host=" + host + ", port=" + port + ", scheme=" + scheme
                + ", encryptionMasterKeyBase64=" + (notBlank(encryptionMasterKeyBase64) ? "***" : "<unset>") + "]";
    }
}
