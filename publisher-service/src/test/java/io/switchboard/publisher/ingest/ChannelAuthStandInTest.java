package io.switchboard.publisher.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.pusher.rest.PusherAbstract;
import com.pusher.rest.crypto.CryptoUtil;
import com.pusher.rest.data.PresenceUser;
import io.switchboard.testkit.ChannelAuthStandIn;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The test-only channel auth stand-in answers exactly what pusher-http-java (Pusher's own server library) answers
 * for the same app and master key, so a subscription through it is as real as one through gateway-service.
 */
class ChannelAuthStandInTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String KEY = "app-key";
    private static final String SECRET = "app-secret";
    private static final String MASTER_KEY =
            Base64.getEncoder().encodeToString("0123456789abcdef0123456789ABCDEF".getBytes());

    /** pusher-http-java's signing code without its HTTP client. */
    private static final class Library extends PusherAbstract<String> {
        Library(String masterKey) {
            super("1", KEY, SECRET, masterKey);
        }

        @Override
        protected String doGet(URI uri) {
            throw new UnsupportedOperationException();
        }

        @Override
        protected String doPost(URI uri, String body) {
            throw new UnsupportedOperationException();
        }
    }

    private final Library library = new Library(MASTER_KEY);
    private final HttpClient http = HttpClient.newHttpClient();
    private ChannelAuthStandIn standIn;

    @AfterEach
    void close() {
        if (standIn != null) {
            standIn.close();
        }
    }

    @Test
    void theSharedSecretIsTheOneCryptoUtilDerives() {
        byte[] master = Base64.getDecoder().decode(MASTER_KEY);
        for (String channel :
                new String[] {"private-encrypted-a", "private-encrypted-org.1;x", "private-encrypted-\u00e9"}) {
            // pusher-http-java encodes it without padding, pusher-js reads either: the bytes must be equal
            assertThat(Base64.getDecoder().decode(ChannelAuthStandIn.sharedSecret(channel, master)))
                    .as(channel)
                    .isEqualTo(Base64.getDecoder()
                            .decode(new CryptoUtil(MASTER_KEY).generateBase64EncodedSharedSecret(channel)));
        }
    }

    @Test
    void answersPrivateEncryptedAndPresenceChannelsAsPusherHttpJavaDoes() throws Exception {
        standIn = new ChannelAuthStandIn(KEY, SECRET, MASTER_KEY, "user-7");

        JsonNode privateAnswer =
                post("application/x-www-form-urlencoded", "socket_id=123.456&channel_name=private-audit-A");
        assertThat(privateAnswer).isEqualTo(JSON.readTree(library.authenticate("123.456", "private-audit-A")));

        JsonNode encrypted =
                post("application/x-www-form-urlencoded", "socket_id=123.456&channel_name=private-encrypted-audit-A");
        JsonNode expected = JSON.readTree(library.authenticate("123.456", "private-encrypted-audit-A"));
        assertThat(encrypted.get("auth")).isEqualTo(expected.get("auth"));
        assertThat(Base64.getDecoder().decode(encrypted.get("shared_secret").asString()))
                .isEqualTo(
                        Base64.getDecoder().decode(expected.get("shared_secret").asString()));

        JsonNode presence = post("application/json", "{\"socket_id\":\"123.456\",\"channel_name\":\"presence-room\"}");
        assertThat(presence)
                .isEqualTo(JSON.readTree(library.authenticate("123.456", "presence-room", new PresenceUser("user-7"))));
        assertThat(standIn.signed()).hasSize(3);
    }

    @Test
    void refusesPublicChannelsAndEncryptedOnesWithoutAMasterKey() throws Exception {
        standIn = new ChannelAuthStandIn(KEY, SECRET, null, "user-7");

        assertThat(status("socket_id=1.2&channel_name=audit-A")).isEqualTo(403);
        assertThat(status("socket_id=1.2&channel_name=private-encrypted-audit-A"))
                .isEqualTo(403);
        assertThat(status("channel_name=private-audit-A")).isEqualTo(400);
        assertThat(standIn.signed()).isEmpty();
    }

    private JsonNode post(String type, String body) throws Exception {
        HttpResponse<String> response = send(type, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private int status(String form) throws Exception {
        return send("application/x-www-form-urlencoded", form).statusCode();
    }

    private HttpResponse<String> send(String type, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(standIn.url()))
                        .header("Content-Type", type)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
