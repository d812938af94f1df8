package io.switchboard.router.truncation;

/**
 * What end-to-end encryption adds to an event's data, so that the payload limit holds for what Pusher receives.
 * For a {@code private-encrypted-} channel, pusher-http-java replaces data of {@code n} UTF-8 bytes with
 * <pre>{"nonce":"&lt;base64 of 24 bytes&gt;","ciphertext":"&lt;base64 of n + 16 bytes&gt;"}</pre>
 * (NaCl secretbox: a 24-byte nonce, a 16-byte MAC; standard base64 with padding; Gson without HTML escaping, so
 * nothing in base64 is escaped): {@code 28 + 32 + 4·⌈(n + 16) / 3⌉} bytes. Arithmetic rather than a trial
 * encryption per event: the router never holds the master key, and the size does not depend on it.
 */
public final class EncryptionOverhead {

    /** {@code {"nonce":"","ciphertext":""}}: the envelope's own bytes. */
    static final int ENVELOPE_BYTES = "{\"nonce\":\"\",\"ciphertext\":\"\"}".length();

    /** Base64 of secretbox's 24-byte nonce. */
    static final int NONCE_BASE64_BYTES = 32;

    /** Poly1305's tag, added to the ciphertext. */
    static final int MAC_BYTES = 16;

    /** The smallest limit that leaves {@link PayloadTruncator#MIN_LIMIT} bytes of plaintext once encrypted. */
    public static final int MIN_LIMIT = encryptedBytes(PayloadTruncator.MIN_LIMIT);

    private EncryptionOverhead() {}

    /** The size of the data Pusher receives for {@code plaintextBytes} of data to an encrypted channel. */
    public static int encryptedBytes(int plaintextBytes) {
        int cipher = plaintextBytes + MAC_BYTES;
        return ENVELOPE_BYTES + NONCE_BASE64_BYTES + 4 * ((cipher + 2) / 3);
    }

    /**
     * The largest plaintext whose encrypted form fits {@code limit}: {@code 4·⌈(n + 16) / 3⌉ ≤ limit − 60} holds
     * exactly when {@code n ≤ 3·⌊(limit − 60) / 4⌋ − 16}.
     */
    public static int plaintextLimit(int limit) {
        return 3 * ((limit - ENVELOPE_BYTES - NONCE_BASE64_BYTES) / 4) - MAC_BYTES;
    }
}
