package io.switchboard.publisher.config;

import java.util.Base64;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The Pusher app (contracts section 6). With {@code host} unset, Pusher's own API for {@code cluster} over https;
 * with it set, a self-hosted Pusher-protocol server (Soketi, Reverb) at host:port over {@code scheme}.
 * {@code encryptionMasterKeyBase64} ({@code PUSHER_ENCRYPTION_MASTER_KEY_BASE64}) turns on end-to-end encryption for
 * {@code private-encrypted-} channels: 32 bytes, base64-encoded, the same key gateway-service derives each channel's
 * {@code shared_secret} from. The secret and the master key never appear in {@link #toString()}, logs or errors.
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
        @DefaultValue("false") boolean dryRun,
        String encryptionMasterKeyBase64) {

    /** The length of an encryption master key, in bytes once decoded (pusher-http-java's CryptoUtil). */
    public static final int MASTER_KEY_BYTES = 32;

    public PusherProperties {
        encryptionMasterKeyBase64 = notBlank(encryptionMasterKeyBase64) ? encryptionMasterKeyBase64.strip() : null;
        if (encryptionMasterKeyBase64 != null) {
            checkMasterKey(encryptionMasterKeyBase64);
        }
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

    /** The value is never put in the message: a key that is almost right is still a key. */
    private static void checkMasterKey(String base64) {
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "switchboard.pusher.encryption-master-key-base64 (PUSHER_ENCRYPTION_MASTER_KEY_BASE64) is not"
                            + " valid base64; generate one with: openssl rand -base64 32");
        }
        if (decoded.length != MASTER_KEY_BYTES) {
            throw new IllegalArgumentException(
                    "switchboard.pusher.encryption-master-key-base64 (PUSHER_ENCRYPTION_MASTER_KEY_BASE64) must be "
                            + MASTER_KEY_BYTES + " bytes once decoded, not " + decoded.length
                            + "; generate one with: openssl rand -base64 32");
        }
    }

    /** Whether events to {@code private-encrypted-} channels can be encrypted (and so published). */
    public boolean encryptionConfigured() {
        return encryptionMasterKeyBase64 != null;
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

    public boolean encrypted() {
        return !"http".equalsIgnoreCase(scheme);
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    @Override
    public String toString() {
        return "PusherProperties[appId=" + appId + ", key=" + key + ", secret=" + (notBlank(secret) ? "***" : "<unset>")
                + ", cluster=" + cluster + ", host=" + host + ", port=" + port + ", scheme=" + scheme + ", dryRun="
                + dryRun + ", encryptionMasterKey=" + (encryptionConfigured() ? "***" : "<unset>") + "]";
    }
}
