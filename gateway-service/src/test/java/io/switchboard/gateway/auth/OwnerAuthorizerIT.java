package io.switchboard.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 14, findings 1 and 2 (and the owner-call part of 6), against the real gateway over HTTP with a real owning
 * service on 127.0.0.1. The owner decides by the channel's {@code room}: {@code org1-*} rooms are open to tokens of
 * org 1 only; other rooms answer as their name says.
 */
class OwnerAuthorizerIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MAX_CONCURRENT = 4;
    // long enough for the bulkhead test to look while the slow owner holds its calls, short enough to wait for once
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private static final CountDownLatch slowOwner = new CountDownLatch(1);
    private static final CountDownLatch hungOwner = new CountDownLatch(1);
    private static final AtomicInteger slowInFlight = new AtomicInteger();
    private static final AtomicInteger slowMaxInFlight = new AtomicInteger();
    private static final AtomicBoolean flakyRecovered = new AtomicBoolean();
    private static OwnerStub owner;
    private static int closedPort;
    private static GatewayUnderTest gateway;

    @BeforeAll
    static void start() throws Exception {
        owner = new OwnerStub((call, exchange) -> {
            String room = call.params().get("room").asString();
            switch (room.replaceAll("-\\d+$", "")) {
                case "org1" ->
                    OwnerStub.json(
                            exchange,
                            200,
                            "{\"allow\": "
                                    + "1"
                                            .equals(String.valueOf(TestTokens.claims(call.bearer())
                                                    .getClaim("org_id")))
                                    + "}");
                case "allow" -> OwnerStub.json(exchange, 200, "{\"allow\": true}");
                case "member" ->
                    OwnerStub.json(
                            exchange,
                            200,
                            "{\"allow\": true, \"user_info\": {\"name\": \"Ada L.\", \"role\": \"editor\"}}");
                case "refuse" -> OwnerStub.json(exchange, 200, "{\"allow\": false}");
                case "dupkey" -> OwnerStub.json(exchange, 200, "{\"allow\": false, \"allow\": true}");
                case "allowedfalse" -> OwnerStub.json(exchange, 200, "{\"allowed\": false}");
                case "allowedtrue" -> OwnerStub.json(exchange, 200, "{\"allowed\": true}");
                case "allowstring" -> OwnerStub.json(exchange, 200, "{\"allow\": \"true\"}");
                case "truebody" -> OwnerStub.json(exchange, 200, "true");
                case "html" -> OwnerStub.reply(exchange, 200, "text/html", "<html><body>Error: allow</body></html>");
                case "empty200" -> OwnerStub.reply(exchange, 200, "application/json", "");
                case "nocontent" -> OwnerStub.reply(exchange, 204, null, "");
                case "redirect" -> {
                    exchange.getResponseHeaders().set("Location", owner.url() + "?room=allow");
                    OwnerStub.reply(exchange, 302, null, "");
                }
                case "unauthorized" -> OwnerStub.json(exchange, 401, "{\"allow\": true}");
                case "forbidden" -> OwnerStub.json(exchange, 403, "{\"allow\": false}");
                case "created" -> OwnerStub.json(exchange, 201, "{\"allow\": true}");
                case "fail" -> OwnerStub.json(exchange, 500, "{\"allow\": true}");
                case "unavailable" -> OwnerStub.reply(exchange, 503, "text/html", "<h1>down</h1>");
                case "huge" ->
                    OwnerStub.json(exchange, 200, "{\"allow\": true, \"pad\": \"" + "x".repeat(100_000) + "\"}");
                case "hang" -> hungOwner.await(60, TimeUnit.SECONDS);
                case "slow" -> {
                    slowMaxInFlight.accumulateAndGet(slowInFlight.incrementAndGet(), Math::max);
                    try {
                        slowOwner.await(60, TimeUnit.SECONDS);
                    } finally {
                        slowInFlight.decrementAndGet();
                    }
                    OwnerStub.json(exchange, 200, "{\"allow\": true}");
                }
                case "flaky" ->
                    OwnerStub.json(
                            exchange, flakyRecovered.get() ? 200 : 500, "{\"allow\": " + flakyRecovered.get() + "}");
                default -> OwnerStub.json(exchange, 404, "{}");
            }
        });
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        gateway = GatewayUnderTest.start(
                "--switchboard.auth.rules[0].channel=private-org.{org_id}",
                "--switchboard.auth.rules[0].claims.org_id=org_id",
                "--switchboard.auth.rules[1].channel=private-room.{room}",
                "--switchboard.auth.rules[1].authorizer=" + owner.url(),
                "--switchboard.auth.rules[2].channel=presence-room.{room}",
                "--switchboard.auth.rules[2].authorizer=" + owner.url(),
                "--switchboard.auth.rules[3].channel=private-gone.{room}",
                "--switchboard.auth.rules[3].authorizer=http://127.0.0.1:" + closedPort + "/can-read",
                "--switchboard.auth.owner.timeout=" + TIMEOUT.toSeconds() + "s",
                "--switchboard.auth.owner.cache-ttl=3s",
                "--switchboard.auth.owner.max-concurrent=" + MAX_CONCURRENT);
    }

    @AfterAll
    static void stop() {
        slowOwner.countDown();
        hungOwner.countDown();
        if (gateway != null) {
            gateway.close();
        }
        if (owner != null) {
            owner.close();
        }
    }

    // finding 1

    @Test
    void ownerCacheDoesNotCrossTenants() throws Exception {
        String channel = "private-room.org1-1";
        HttpResponse<String> org1 = gateway.auth(TestTokens.sign("5", 1), channel);
        assertThat(org1.statusCode()).as(org1.body()).isEqualTo(200);
        assertThat(owner.callsFor(channel)).isEqualTo(1);

        // the same sub in another tenant: the owner must be asked again, and it refuses
        HttpResponse<String> org2 = gateway.auth(TestTokens.sign("5", 2), channel);
        assertThat(owner.callsFor(channel)).isEqualTo(2);
        assertThat(org2.statusCode()).isEqualTo(403);
        assertThat(org2.body()).doesNotContain("\"auth\"");
    }

    @Test
    void ownerIsSentTheTokenTheChannelItsParamsAndSub() throws Exception {
        String token = TestTokens.sign("user-9", 1);
        assertThat(gateway.auth(token, "private-room.allow-9").statusCode()).isEqualTo(200);
        OwnerStub.Call call = owner.calls().stream()
                .filter(c -> c.channel().equals("private-room.allow-9"))
                .findFirst()
                .orElseThrow();
        assertThat(call.bearer()).isEqualTo(token);
        assertThat(call.params().get("room").asString()).isEqualTo("allow-9");
        assertThat(call.sub()).isEqualTo("user-9");
    }

    @Test
    void aVerdictIsReusedForTheSameTokenOnlyUntilTheTtl() throws Exception {
        String token = TestTokens.sign("user-1", 1);
        String channel = "private-room.allow-2";
        assertThat(gateway.auth(token, channel).statusCode()).isEqualTo(200);
        assertThat(gateway.auth(token, channel).statusCode()).isEqualTo(200);
        assertThat(owner.callsFor(channel))
                .as("the second answer came from the cache")
                .isEqualTo(1);
        // switchboard.auth.owner.cache-ttl=3s: afterwards the owner is asked again
        await().atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> {
                    assertThat(gateway.auth(token, channel).statusCode()).isEqualTo(200);
                    assertThat(owner.callsFor(channel)).isEqualTo(2);
                });
        double cached = meters().find(OwnerMetrics.NAME).tag("outcome", "cached").timers().stream()
                .mapToLong(t -> t.count())
                .sum();
        assertThat(cached).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aVerdictIsNeverReusedPastTheTokensExpiry() throws Exception {
        // the token expires in 1 s, well before the 3 s TTL; with the 30 s skew the gateway still accepts it after
        String token = TestTokens.sign(TestTokens.valid("user-1", 1)
                .expirationTime(java.util.Date.from(java.time.Instant.now().plusSeconds(1))));
        String channel = "private-room.allow-3";
        assertThat(gateway.auth(token, channel).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> {
                    assertThat(gateway.auth(token, channel).statusCode()).isEqualTo(200);
                    assertThat(owner.callsFor(channel)).isEqualTo(2);
                });
    }

    // finding 2

    @Test
    void ownerAllowsOnlyOnExplicitAllowTrue() throws Exception {
        String token = TestTokens.sign("user-1", 1);
        assertThat(gateway.auth(token, "private-room.allow-1").statusCode()).isEqualTo(200);
        List<String> refusedRooms = List.of(
                "refuse",
                "allowedfalse",
                "allowedtrue",
                "allowstring",
                "truebody",
                "html",
                "empty200",
                "nocontent",
                "redirect",
                "unauthorized",
                "forbidden",
                "created",
                "fail",
                "unavailable",
                "huge",
                "unknown");
        for (String room : refusedRooms) {
            HttpResponse<String> answer = gateway.auth(token, "private-room." + room);
            assertThat(answer.statusCode()).as(room + ": " + answer.body()).isEqualTo(403);
            assertThat(answer.body()).as(room).doesNotContain("\"auth\"");
        }
        assertThat(owner.callsFor("private-room.redirect"))
                .as("a redirect is not followed")
                .isEqualTo(1);
    }

    @Test
    void anOwnerThatCannotBeReachedOrDoesNotAnswerInTimeRefuses() throws Exception {
        String token = TestTokens.sign("user-1", 1);
        HttpResponse<String> gone = gateway.auth(token, "private-gone.a");
        assertThat(gone.statusCode()).isEqualTo(403);
        assertThat(gone.body()).contains("could not be asked");
        long started = System.nanoTime();
        HttpResponse<String> hung = gateway.auth(token, "private-room.hang");
        assertThat(hung.statusCode()).isEqualTo(403);
        assertThat(hung.body()).contains("did not answer in time");
        assertThat(Duration.ofNanos(System.nanoTime() - started))
                .as("switchboard.auth.owner.timeout bounds the wait")
                .isBetween(TIMEOUT.minusMillis(100), TIMEOUT.plusSeconds(3));
    }

    @Test
    void anOwnerErrorIsNotCached() throws Exception {
        String token = TestTokens.sign("user-1", 1);
        String channel = "private-room.flaky";
        assertThat(gateway.auth(token, channel).statusCode()).isEqualTo(403);
        flakyRecovered.set(true);
        assertThat(gateway.auth(token, channel).statusCode()).isEqualTo(200);
        assertThat(owner.callsFor(channel)).isEqualTo(2);
    }

    @Test
    void presenceMembersOfAnOwnedChannelAreTheTokensSubjectWithTheOwnersUserInfo() throws Exception {
        HttpResponse<String> answer = gateway.auth(TestTokens.sign("user-1", 1), "presence-room.member");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode channelData =
                JSON.readTree(JSON.readTree(answer.body()).get("channel_data").asString());
        assertThat(channelData.get("user_id").asString()).isEqualTo("user-1");
        assertThat(channelData.get("user_info").get("role").asString()).isEqualTo("editor");
    }

    // finding 6, the owner call: a slow owner and many callers do not hold every thread

    @Test
    void aSlowOwnerCannotDelayOtherRequests() throws Exception {
        int callers = 3 * MAX_CONCURRENT;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<CompletableFuture<HttpResponse<String>>> slow = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                String channel = "private-room.slow-" + i;
                String token = TestTokens.sign("user-" + i, 1);
                slow.add(CompletableFuture.supplyAsync(() -> call(token, channel), pool));
            }
            // the owner holds MAX_CONCURRENT calls; every other caller is refused at once, while it still holds them
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> slowInFlight.get() == MAX_CONCURRENT
                            && slow.stream().filter(CompletableFuture::isDone).count() == callers - MAX_CONCURRENT);
            List<HttpResponse<String>> busy = slow.stream()
                    .filter(CompletableFuture::isDone)
                    .map(CompletableFuture::join)
                    .toList();
            assertThat(busy).allSatisfy(r -> {
                assertThat(r.statusCode()).isEqualTo(403);
                assertThat(r.body()).contains("busy");
            });
            // an unrelated request is answered while the owner still holds its calls
            long started = System.nanoTime();
            assertThat(gateway.auth(TestTokens.sign("user-x", 7), "private-org.7")
                            .statusCode())
                    .isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
            assertThat(slowInFlight.get()).isEqualTo(MAX_CONCURRENT);
            slowOwner.countDown();
            // the held calls now complete, allowed: they were delayed by their own owner only
            for (CompletableFuture<HttpResponse<String>> call : slow) {
                assertThat(call.get(20, TimeUnit.SECONDS).statusCode()).isIn(200, 403);
            }
            assertThat(slow.stream().map(CompletableFuture::join).filter(r -> r.statusCode() == 200))
                    .hasSize(MAX_CONCURRENT);
        } finally {
            slowOwner.countDown();
            pool.shutdown();
        }
        assertThat(slowMaxInFlight.get()).isEqualTo(MAX_CONCURRENT);
        double busyCount = meters().find(OwnerMetrics.NAME).tag("outcome", "busy").timers().stream()
                .mapToLong(t -> t.count())
                .sum();
        assertThat(busyCount).isGreaterThanOrEqualTo(2 * MAX_CONCURRENT);
    }

    @Test
    void ownerCallsAreMeteredByOwnerAndOutcome() throws Exception {
        String token = TestTokens.sign("user-1", 1);
        gateway.auth(token, "private-room.allow-4");
        gateway.auth(token, "private-room.refuse-4");
        String host = "127.0.0.1:" + owner.url().getPort();
        for (String outcome : List.of("allowed", "refused")) {
            assertThat(meters().find(OwnerMetrics.NAME)
                            .tag("owner", host)
                            .tag("outcome", outcome)
                            .timer())
                    .as(outcome)
                    .isNotNull()
                    .satisfies(t -> assertThat(t.count()).isGreaterThanOrEqualTo(1));
        }
    }

    private static HttpResponse<String> call(String token, String channel) {
        return call(gateway, token, channel);
    }

    private static HttpResponse<String> call(GatewayUnderTest gateway, String token, String channel) {
        try {
            return gateway.auth(token, channel);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // security review of issue 14, item 5

    @Test
    void ownerAnswerWithADuplicateKeyIsRefused() throws Exception {
        // last-key-wins would read {"allow": false, "allow": true} as allowed
        HttpResponse<String> answer = gateway.auth(TestTokens.sign("user-1", 1), "private-room.dupkey");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(403);
        assertThat(answer.body()).contains("could not be asked").doesNotContain("\"auth\"");
        assertThat(owner.callsFor("private-room.dupkey")).isEqualTo(1);
    }

    // security review of issue 14, item 6: one cap for all owners together, not only one per owner

    @Test
    void ownerCallsInFlightAreCappedAcrossAllOwners() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger inFlight = new AtomicInteger();
        OwnerStub.Behaviour slow = (call, exchange) -> {
            inFlight.incrementAndGet();
            try {
                release.await(60, TimeUnit.SECONDS);
            } finally {
                inFlight.decrementAndGet();
            }
            OwnerStub.json(exchange, 200, "{\"allow\": true}");
        };
        int perOwner = 4;
        int total = 6;
        int callers = 2 * perOwner;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try (OwnerStub audits = new OwnerStub(slow);
                OwnerStub documents = new OwnerStub(slow);
                GatewayUnderTest capped = GatewayUnderTest.start(
                        "--switchboard.auth.rules[0].channel=private-audit.{id}",
                        "--switchboard.auth.rules[0].authorizer=" + audits.url(),
                        "--switchboard.auth.rules[1].channel=private-doc.{id}",
                        "--switchboard.auth.rules[1].authorizer=" + documents.url(),
                        "--switchboard.auth.rules[2].channel=private-org.{org_id}",
                        "--switchboard.auth.rules[2].claims.org_id=org_id",
                        "--switchboard.auth.owner.timeout=20s",
                        "--switchboard.auth.owner.max-concurrent=" + perOwner,
                        "--switchboard.auth.owner.max-concurrent-total=" + total)) {
            List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                String channel = (i % 2 == 0 ? "private-audit." : "private-doc.") + i;
                String token = TestTokens.sign("user-" + i, 1);
                calls.add(CompletableFuture.supplyAsync(() -> call(capped, token, channel), pool));
            }
            // each owner has room for 4, yet only 6 calls reach the two owners; the 2 others are refused at once
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> inFlight.get() == total
                            && calls.stream().filter(CompletableFuture::isDone).count() == callers - total);
            assertThat(calls.stream().filter(CompletableFuture::isDone).map(CompletableFuture::join))
                    .hasSize(callers - total)
                    .allSatisfy(r -> {
                        assertThat(r.statusCode()).isEqualTo(403);
                        assertThat(r.body()).contains("busy");
                    });
            // the gateway still answers a request that needs no owner, while the owners hold 6 threads
            assertThat(capped.auth(TestTokens.sign("user-x", 7), "private-org.7")
                            .statusCode())
                    .isEqualTo(200);
            release.countDown();
            for (CompletableFuture<HttpResponse<String>> call : calls) {
                call.get(30, TimeUnit.SECONDS);
            }
            assertThat(calls.stream().map(CompletableFuture::join).filter(r -> r.statusCode() == 200))
                    .hasSize(total);
            assertThat(audits.maxInFlight() + documents.maxInFlight()).isLessThanOrEqualTo(total);
        } finally {
            release.countDown();
            pool.shutdown();
        }
    }

    private static MeterRegistry meters() {
        return gateway.context().getBean(MeterRegistry.class);
    }
}
