package io.switchboard.gateway.http;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Pusher user authentication's signature ({@code pusher:signin}):
 * {@code auth = key + ":" + HMAC-SHA256-hex(secret, socket_id + "::user::" + user_data)}.
 *
 * <p>Hand-written because pusher-http-java 1.3.4, the newest served, has no user-authentication method (its
 * {@code authenticate} signs channels only: {@code socket_id:channel[:channel_data]}); Pusher's Node and PHP servers
 * sign exactly this string. The secret stays inside the {@link Mac}'s key and never appears in
 * {@link #toString()}.
 */
final class UserAuthSigner {

    private final String key;
    private final SecretKeySpec secret;

    UserAuthSigner(String key, String secret) {
        if (key == null || key.isEmpty() || secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("the Pusher key and secret are required");
        }
        this.key = key;
        this.secret = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /** The {@code auth} field for the socket and the {@code user_data} text, exactly as it is sent. */
    String sign(String socketId, String userData) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(secret);
            byte[] signature = mac.doFinal((socketId + "::user::" + userData).getBytes(StandardCharsets.UTF_8));
            return key + ":" + HexFormat.of().formatHex(signature);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is required by every Java platform", e);
        }
    }

    @Override
    public String toString() {
        return "UserAuthSigner[key=" + key + ", secret=****]";
    }
}
