package io.switchboard.gateway.operator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The operators' credential ({@code SWITCHBOARD_OPERATOR_TOKEN}): a bearer token that browsers never hold, for the
 * test endpoint and the management surface. Only its SHA-256 digest is kept; {@link #matches} compares digests with
 * {@link MessageDigest#isEqual}, which takes the same time whatever the bytes and whatever the presented length. The
 * token never appears in {@link #toString()}, logs or errors.
 */
public final class OperatorToken {

    /** At least 256 bits, as for the HS256 secret. */
    public static final int MIN_BYTES = 32;

    private final byte[] digest;

    private OperatorToken(byte[] digest) {
        this.digest = digest;
    }

    /**
     * @param token the configured token
     * @param setting the setting and env var to name in an error, for example
     *     {@code switchboard.operator.token (SWITCHBOARD_OPERATOR_TOKEN)}
     */
    public static OperatorToken of(String token, String setting) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException(setting + " is not set");
        }
        if (token.getBytes(StandardCharsets.UTF_8).length < MIN_BYTES) {
            throw new IllegalArgumentException(setting + " must be at least " + MIN_BYTES + " bytes");
        }
        if (!token.strip().equals(token) || token.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException(setting + " must not contain whitespace");
        }
        return new OperatorToken(sha256(token));
    }

    /** True when {@code presented} is the token; in constant time. */
    public boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(digest, sha256(presented));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    @Override
    public String toString() {
        return "OperatorToken[****]";
    }
}
