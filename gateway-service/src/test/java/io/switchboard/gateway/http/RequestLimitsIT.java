package io.switchboard.gateway.http;

import static io.switchboard.gateway.http.TestGateway.browserToken;
import static io.switchboard.gateway.http.TestGateway.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.gateway.auth.Refusal;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Finding 6: requests were unbounded (eight anonymous 90 MB bodies caused fourteen OutOfMemoryErrors; no rate
 * limit). Now bodies are bounded before anything parses them (413), auth attempts are limited per verified caller
 * and per client address (429 with Retry-After), and every refusal is counted by reason in
 * {@code switchboard_gateway_auth_refused_total}. Through the real filter chain, over HTTP.
 */
class RequestLimitsIT {

    private static final long NINETY_MB = 90L * 1024 * 1024;
    private static TestGateway limited;
    private static TestGateway addressLimited;

    @BeforeAll
    static void start() {
        Map<String, String> perCaller = new HashMap<>(TestGateway.jwtMode());
        perCaller.put("SWITCHBOARD_RATE_PER_CALLER", "3");
        perCaller.put("SWITCHBOARD_RATE_PER_CALLER_PERIOD", "1h");
        limited = TestGateway.start(perCaller);
        Map<String, String> perAddress = new HashMap<>(TestGateway.jwtMode());
        perAddress.put("SWITCHBOARD_RATE_PER_ADDRESS", "5");
        perAddress.put("SWITCHBOARD_RATE_PER_ADDRESS_PERIOD", "1h");
        addressLimited = TestGateway.start(perAddress);
    }

    @AfterAll
    static void stop() {
        for (TestGateway gateway : new TestGateway[] {limited, addressLimited}) {
            if (gateway != null) {
                gateway.close();
            }
        }
    }

    /** Eight anonymous 90 MB bodies, streamed (never allocated here), without a declared length: chunked. */
    @Test
    void ninetyMegabyteBodiesAreRefused413WithoutBeingRead() throws Exception {
        double before = refused(limited, "body_too_large");
        List<AtomicLong> sent = new ArrayList<>();
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            AtomicLong bytes = new AtomicLong();
            sent.add(bytes);
            HttpRequest request = TestGateway.request(limited.api("/auth"), null)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new HugeJson(NINETY_MB, bytes)))
                    .build();
            answers.add(limited.sendAsync(request));
        }
        for (CompletableFuture<HttpResponse<String>> answer : answers) {
            HttpResponse<String> response = answer.get();
            assertThat(response.statusCode()).isEqualTo(413);
            assertThat(response.body()).contains("larger than 4096 bytes");
        }
        System.out.println("90 MB chunked bodies: the senders got out " + sent + " bytes before the 413");
        assertThat(sent)
                .allSatisfy(bytes -> assertThat(bytes.get())
                        .as("the gateway stops reading: far less than the 90 MB was sent")
                        .isLessThan(16L * 1024 * 1024));
        assertThat(limited.auth(browserToken("after-the-flood", 5), "private-org.5")
                        .statusCode())
                .as("and it still signs")
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () -> assertThat(refused(limited, "body_too_large")).isGreaterThanOrEqualTo(before + 8));
    }

    @Test
    void aDeclaredContentLengthAboveTheLimitIsRefusedBeforeReadingIt() throws Exception {
        // A raw HTTP/1.1 request that declares a 90 MB body and sends none of it: the 413 must come back while the
        // body is still unsent, which shows that the limit is checked before anything is read. (An HttpClient
        // sender keeps writing until it sees the answer, so the bytes it got out measure socket buffers, not the
        // gateway; a gateway that read the body would never answer here.)
        URI auth = URI.create(limited.api("/auth"));
        try (Socket socket = new Socket(auth.getHost(), auth.getPort())) {
            socket.setSoTimeout(15_000);
            String head = "POST " + auth.getRawPath() + " HTTP/1.1\r\n"
                    + "Host: " + auth.getHost() + ":" + auth.getPort() + "\r\n"
                    + "Authorization: Bearer " + browserToken("declared", 5) + "\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\n"
                    + "Content-Length: " + NINETY_MB + "\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String status = new BufferedReader(
                            new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            assertThat(status).startsWith("HTTP/1.1 413");
        }
        // just under the limit passes the limit (and is then refused for what it says, not for its size)
        String padded = "socket_id=123.456&channel_name=private-org.5&pad=" + "a".repeat(4096 - 49);
        assertThat(padded).hasSize(4096);
        assertThat(limited.form("/auth", browserToken("declared", 5), padded).statusCode())
                .isEqualTo(200);
    }

    @Test
    void aBurstOverTheCallerLimitGets429WithRetryAfter() throws Exception {
        double before = refused(limited, "rate_limited_caller");
        for (int i = 0; i < 3; i++) {
            assertThat(limited.auth(browserToken("burst-1", 5), "private-org.5").statusCode())
                    .isEqualTo(200);
        }
        HttpResponse<String> over = limited.auth(browserToken("burst-1", 5), "private-org.5");
        assertThat(over.statusCode()).isEqualTo(429);
        assertThat(over.body()).doesNotContain("\"auth\"");
        long retryAfter =
                Long.parseLong(over.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 3600L);
        assertThat(limited.auth(browserToken("burst-1", 5), "private-org.6").statusCode())
                .as("a fresh token of the same subject shares its budget")
                .isEqualTo(429);
        assertThat(limited.auth(browserToken("burst-2", 5), "private-org.5").statusCode())
                .as("another caller is not limited by the first")
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() ->
                        assertThat(refused(limited, "rate_limited_caller")).isEqualTo(before + 2));
    }

    /** A forged-token storm: each token differs, the address does not. */
    @Test
    void aBurstOverTheAddressLimitGets429WhateverTheTokens() throws Exception {
        double forgedBefore = refused(addressLimited, "token_signature");
        for (int i = 0; i < 5; i++) {
            String forged = token(
                    "a-forger-secret-that-is-at-least-32-bytes-" + i,
                    "victim",
                    Map.of("org_id", 5),
                    Instant.now().plusSeconds(600));
            assertThat(addressLimited.auth(forged, "private-org.5").statusCode())
                    .isEqualTo(401);
        }
        HttpResponse<String> over = addressLimited.auth(browserToken("honest", 5), "private-org.5");
        assertThat(over.statusCode()).isEqualTo(429);
        assertThat(over.headers().firstValue("Retry-After")).isPresent();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(refused(addressLimited, "token_signature")).isEqualTo(forgedBefore + 5);
            assertThat(refused(addressLimited, "rate_limited_address")).isGreaterThanOrEqualTo(1);
        });
    }

    @Test
    void refusalsAreCountedByReason() throws Exception {
        String policy = Refusal.CLAIM_MISMATCH.tag();
        double noToken = refused(limited, "no_token");
        double malformed = refused(limited, "token_malformed");
        double byPolicy = refused(limited, policy);
        double badName = refused(limited, "name_invalid");
        assertThat(limited.auth(null, "private-org.5").statusCode()).isEqualTo(401);
        assertThat(limited.auth("not.a.jwt", "private-org.5").statusCode()).isEqualTo(401);
        assertThat(limited.auth(browserToken("counted", 5), "private-org.6").statusCode())
                .isEqualTo(403);
        assertThat(limited.auth(browserToken("counted-2", 5), "private-" + "a".repeat(160))
                        .statusCode())
                .isEqualTo(400);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(refused(limited, "no_token")).isEqualTo(noToken + 1);
            assertThat(refused(limited, "token_malformed")).isEqualTo(malformed + 1);
            assertThat(refused(limited, policy)).isEqualTo(byPolicy + 1);
            assertThat(refused(limited, "name_invalid")).isEqualTo(badName + 1);
        });
    }

    private static final Pattern SAMPLE =
            Pattern.compile("^switchboard_gateway_auth_refused_total\\{([^}]*)} ([0-9.eE+-]+)$", Pattern.MULTILINE);

    /** The counter for the reason, summed over endpoints, as Prometheus scrapes it from the management port. */
    static double refused(TestGateway gateway, String reason) throws Exception {
        return refused(gateway, null, reason);
    }

    /** The counter for the endpoint (any when null) and the reason, as Prometheus scrapes it. */
    static double refused(TestGateway gateway, String endpoint, String reason) throws Exception {
        HttpResponse<String> scrape = gateway.get(gateway.management("/actuator/prometheus"), null);
        assertThat(scrape.statusCode()).isEqualTo(200);
        double sum = 0;
        Matcher m = SAMPLE.matcher(scrape.body());
        while (m.find()) {
            if (m.group(1).contains("reason=\"" + reason + "\"")
                    && (endpoint == null || m.group(1).contains("endpoint=\"" + endpoint + "\""))) {
                sum += Double.parseDouble(m.group(2));
            }
        }
        return sum;
    }

    /** {@code {"x":"aaaa...} of the given size, made as it is read; counts what was read. */
    static final class HugeJson extends InputStream {
        private final long size;
        private final AtomicLong read;
        private long position;

        HugeJson(long size, AtomicLong read) {
            this.size = size;
            this.read = read;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0];
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= size) {
                return -1;
            }
            int n = (int) Math.min(len, size - position);
            for (int i = 0; i < n; i++) {
                b[off + i] = position + i < 6 ? (byte) "{\"x\":\"".charAt((int) (position + i)) : (byte) 'a';
            }
            position += n;
            read.addAndGet(n);
            return n;
        }
    }
}
