package io.switchboard.gateway.http;

import static io.switchboard.gateway.http.RequestLimitsIT.refused;
import static io.switchboard.gateway.http.TestGateway.browserToken;
import static io.switchboard.gateway.http.TestGateway.hmac;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.testkit.Soketi;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * Security review, LOW: {@code channel_name} and {@code socket_id} were also read from the query string, and repeated
 * values were joined with commas ({@code ?channel_name=a} and a body {@code channel_name=b} became {@code a,b}; a
 * query string alone was signed). They are now read from the body only, form-encoded or JSON: a field in the query
 * string, a repeated form field or a repeated JSON key gets 400 {@code bad_request}. Through Tomcat, with declared
 * and chunked bodies (a chunked body is the one the body limit filter reads into memory itself).
 */
class BodyFieldsIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String FORM = "application/x-www-form-urlencoded";
    private static TestGateway gateway;

    @BeforeAll
    static void start() {
        gateway = TestGateway.start(TestGateway.jwtMode());
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private static HttpResponse<String> post(String pathAndQuery, String contentType, String body, boolean chunked)
            throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpRequest.BodyPublisher publisher = chunked
                // no declared length: the client sends it chunked
                ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))
                : HttpRequest.BodyPublishers.ofByteArray(bytes);
        return gateway.send(TestGateway.request(gateway.api(pathAndQuery), browserToken("user-1", 5))
                .header("Content-Type", contentType)
                .POST(publisher)
                .build());
    }

    private static void assertSigned(HttpResponse<String> answer, String channel) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(JSON.readTree(answer.body()).get("auth").asString())
                .isEqualTo(Soketi.KEY + ":" + hmac("123.456:" + channel));
    }

    @Test
    void aChunkedBodyWithinTheLimitIsReadAndSigned() throws Exception {
        assertSigned(post("/auth", FORM, "socket_id=123.456&channel_name=private-org.5", true), "private-org.5");
        assertSigned(
                post(
                        "/auth",
                        "application/json",
                        "{\"socket_id\":\"123.456\",\"channel_name\":\"private-org.5\"}",
                        true),
                "private-org.5");
        HttpResponse<String> signIn = post("/user-auth", FORM, "socket_id=123.456", true);
        assertThat(signIn.statusCode()).as(signIn.body()).isEqualTo(200);
    }

    @Test
    void fieldsInTheQueryStringAreRefused() throws Exception {
        double before = refused(gateway, "bad_request");
        List<HttpResponse<String>> answers = List.of(
                // the query string alone used to be signed
                post("/auth?channel_name=private-org.5", FORM, "socket_id=123.456", false),
                // query and body used to be joined: private-org.5,private-org.6
                post("/auth?channel_name=private-org.5", FORM, "socket_id=123.456&channel_name=private-org.6", false),
                post("/auth?socket_id=123.456", FORM, "channel_name=private-org.5", true),
                post("/auth?channel%5Fname=private-org.5", FORM, "socket_id=123.456", false),
                post(
                        "/auth?channel_name=private-org.5",
                        "application/json",
                        "{\"socket_id\":\"123.456\",\"channel_name\":\"private-org.5\"}",
                        false),
                post("/user-auth?socket_id=123.456", FORM, "", false));
        assertThat(answers).allSatisfy(answer -> {
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
            assertThat(answer.body()).contains("body only").doesNotContain("\"auth\"");
        });
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(refused(gateway, "bad_request")).isEqualTo(before + answers.size()));
    }

    @Test
    void aRepeatedFieldIsRefused() throws Exception {
        double before = refused(gateway, "bad_request");
        List<HttpResponse<String>> answers = List.of(
                post("/auth", FORM, "socket_id=123.456&channel_name=private-org.5&channel_name=private-org.6", false),
                post("/auth", FORM, "socket_id=123.456&channel_name=private-org.5&channel_name=private-org.6", true),
                post("/auth", FORM, "socket_id=123.456&socket_id=789.1&channel_name=private-org.5", false),
                // Jackson kept the last of a repeated key: this was signed for private-org.5
                post(
                        "/auth",
                        "application/json",
                        "{\"socket_id\":\"123.456\",\"channel_name\":\"private-org.6\",\"channel_name\":\"private-org.5\"}",
                        false),
                post("/user-auth", FORM, "socket_id=123.456&socket_id=789.1", false));
        assertThat(answers).allSatisfy(answer -> {
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
            assertThat(answer.body()).doesNotContain("\"auth\"");
        });
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(refused(gateway, "bad_request")).isEqualTo(before + answers.size()));
    }
}
