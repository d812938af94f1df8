package io.switchboard.router.truncation;

import static org.assertj.core.api.Assertions.assertThat;

import com.pusher.rest.PusherAbstract;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

/** The encryption overhead's arithmetic, exact to the byte, and checked against what pusher-http-java sends. */
class EncryptionOverheadTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * pusher-http-java as the publisher configures it (data already JSON text), with its HTTP call replaced by
     * returning the request body: what Pusher would receive.
     */
    static final class Library extends PusherAbstract<String> {
        Library() {
            super(
                    "1",
                    "key",
                    "secret",
                    Base64.getEncoder().encodeToString("a master key of 32 bytes, really".getBytes()));
            setDataMarshaller(data -> (String) data);
        }

        /** The UTF-8 size of the data field Pusher receives for this data to this channel. */
        int sentBytes(String channel, String data) {
            String body = trigger(channel, "e", data);
            return JSON.readTree(body).get("data").asString().getBytes(StandardCharsets.UTF_8).length;
        }

        @Override
        protected String doGet(URI uri) {
            throw new UnsupportedOperationException();
        }

        @Override
        protected String doPost(URI uri, String body) {
            return body;
        }
    }

    /**
     * limit → largest plaintext; e.g. 9000: 3·⌊(9000 − 60) / 4⌋ − 16 = 3·2235 − 16 = 6689, which encrypts to
     * 60 + 4·⌈6705 / 3⌉ = 60 + 4·2235 = 9000 bytes exactly.
     */
    @ParameterizedTest(name = "limit {0}: {1} bytes of plaintext, {2} once encrypted")
    @CsvSource({
        "168,   65,   168",
        "169,   65,   168",
        "171,   65,   168",
        "172,   68,   172",
        "1000,  689,  1000",
        "4000,  2939, 4000",
        "9000,  6689, 9000",
        "10240, 7619, 10240",
        "10241, 7619, 10240"
    })
    void theLargestPlaintextThatFitsOnceEncrypted(int limit, int plaintext, int encrypted) {
        assertThat(EncryptionOverhead.plaintextLimit(limit)).isEqualTo(plaintext);
        assertThat(EncryptionOverhead.encryptedBytes(plaintext))
                .isEqualTo(encrypted)
                .isLessThanOrEqualTo(limit);
        assertThat(EncryptionOverhead.encryptedBytes(plaintext + 1)).isGreaterThan(limit);
    }

    @Test
    void theBoundIsTightForEveryLimit() {
        for (int limit = EncryptionOverhead.MIN_LIMIT; limit <= 20_000; limit++) {
            int plaintext = EncryptionOverhead.plaintextLimit(limit);
            assertThat(EncryptionOverhead.encryptedBytes(plaintext)).isLessThanOrEqualTo(limit);
            assertThat(EncryptionOverhead.encryptedBytes(plaintext + 1)).isGreaterThan(limit);
        }
        assertThat(EncryptionOverhead.MIN_LIMIT).isEqualTo(168);
        assertThat(EncryptionOverhead.plaintextLimit(EncryptionOverhead.MIN_LIMIT))
                .isGreaterThanOrEqualTo(PayloadTruncator.MIN_LIMIT);
    }

    /** The formula is what pusher-http-java 1.3.4 really sends, for every size and for multibyte text. */
    @Test
    void theEncryptedSizeIsWhatPusherHttpJavaSends() {
        Library pusher = new Library();
        for (int n = 0; n <= 600; n++) {
            String data = "x".repeat(n);
            assertThat(pusher.sentBytes("private-encrypted-a", data))
                    .as("%d bytes", n)
                    .isEqualTo(EncryptionOverhead.encryptedBytes(n));
        }
        String multibyte = "{\"label\":\"" + "caf\u00e9 \u2713 \uD83D\uDE00 ".repeat(300) + "\"}";
        int bytes = multibyte.getBytes(StandardCharsets.UTF_8).length;
        assertThat(pusher.sentBytes("private-encrypted-a", multibyte))
                .isEqualTo(EncryptionOverhead.encryptedBytes(bytes));
        String largest = "y".repeat(EncryptionOverhead.plaintextLimit(9000));
        assertThat(pusher.sentBytes("private-encrypted-a", largest)).isEqualTo(9000);
    }
}
