package io.switchboard.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.gateway.auth.OwnerAnswer.Outcome;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The owner client on its own: contract, cache key, expiry, timeout and bulkhead, against a real local owner. */
class HttpOwnerAuthorizerTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private final MutableClock clock = new MutableClock(NOW);
    private final AtomicReference<String> answer = new AtomicReference<>("{\"allow\": true}");
    private final AtomicReference<Integer> status = new AtomicReference<>(200);
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<String> heard = new CopyOnWriteArrayList<>();
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private OwnerStub owner;

    private HttpOwnerAuthorizer authorizer(Duration timeout, Duration ttl, int maxConcurrent) throws Exception {
        return authorizer(timeout, ttl, maxConcurrent, 64);
    }

    private HttpOwnerAuthorizer authorizer(Duration timeout, Duration ttl, int maxConcurrent, int maxConcurrentTotal)
            throws Exception {
        owner = new OwnerStub((call, exchange) -> {
            if (call.channel().startsWith("private-hold")) {
                release.await(30, TimeUnit.SECONDS);
            }
            OwnerStub.json(exchange, status.get(), answer.get());
        });
        return new HttpOwnerAuthorizer(
                new HttpOwnerAuthorizer.Settings(timeout, ttl, maxConcurrent, maxConcurrentTotal, 1000),
                clock,
                (url, a, cached, took) -> heard.add(a.outcome().tag() + (cached ? " cached" : "")));
    }

    @AfterEach
    void stop() {
        release.countDown();
        pool.shutdownNow();
        if (owner != null) {
            owner.close();
        }
    }

    private static Caller caller(String sub, Object org, Instant exp) {
        Map<String, Object> claims = new HashMap<>(Map.of("org_id", org));
        if (exp != null) {
            claims.put("exp", exp);
        }
        return new Caller(sub, claims, "token-of-" + sub + "-in-" + org + "-until-" + exp);
    }

    private OwnerAnswer ask(HttpOwnerAuthorizer authorizer, String channel, Caller caller) {
        return authorizer.ask(owner.url(), channel, Map.of("id", "1"), caller);
    }

    @Test
    void theCacheKeyIsTheTokenNotTheSubject() throws Exception {
        HttpOwnerAuthorizer authorizer = authorizer(Duration.ofSeconds(2), Duration.ofSeconds(5), 4);
        Instant exp = NOW.plusSeconds(600);
        assertThat(ask(authorizer, "private-doc.1", caller("5", 1, exp)).outcome())
                .isEqualTo(Outcome.ALLOWED);
        assertThat(ask(authorizer, "private-doc.1", caller("5", 1, exp)).outcome())
                .isEqualTo(Outcome.ALLOWED);
        assertThat(owner.calls()).hasSize(1);
        answer.set("{\"allow\": false}");
        assertThat(ask(authorizer, "private-doc.1", caller("5", 2, exp)).outcome())
                .isEqualTo(Outcome.REFUSED);
        assertThat(ask(authorizer, "private-doc.2", caller("5", 1, exp)).outcome())
                .isEqualTo(Outcome.REFUSED);
        assertThat(owner.calls()).hasSize(3);
        assertThat(heard).containsExactly("allowed", "allowed cached", "refused", "refused");
    }

    @Test
    void verdictsLiveForTheTtlAndNeverPastExp() throws Exception {
        HttpOwnerAuthorizer authorizer = authorizer(Duration.ofSeconds(2), Duration.ofSeconds(5), 4);
        Caller longLived = caller("a", 1, NOW.plusSeconds(600));
        ask(authorizer, "private-doc.1", longLived);
        clock.advance(Duration.ofMillis(4_900));
        ask(authorizer, "private-doc.1", longLived);
        assertThat(owner.calls()).hasSize(1);
        clock.advance(Duration.ofMillis(200));
        ask(authorizer, "private-doc.1", longLived);
        assertThat(owner.calls()).as("past the 5 s TTL").hasSize(2);

        Caller expiring = caller("b", 1, clock.instant().plusSeconds(1));
        ask(authorizer, "private-doc.1", expiring);
        clock.advance(Duration.ofSeconds(1));
        ask(authorizer, "private-doc.1", expiring);
        assertThat(owner.calls()).as("the token's exp came before the TTL").hasSize(4);

        Caller noExp = caller("c", 1, null);
        ask(authorizer, "private-doc.1", noExp);
        ask(authorizer, "private-doc.1", noExp);
        assertThat(owner.calls()).as("a token without exp is never cached").hasSize(6);
    }

    @Test
    void aZeroTtlTurnsTheCacheOff() throws Exception {
        HttpOwnerAuthorizer authorizer = authorizer(Duration.ofSeconds(2), Duration.ZERO, 4);
        Caller caller = caller("a", 1, NOW.plusSeconds(600));
        ask(authorizer, "private-doc.1", caller);
        ask(authorizer, "private-doc.1", caller);
        assertThat(owner.calls()).hasSize(2);
    }

    @Test
    void errorsAreNeverCached() throws Exception {
        HttpOwnerAuthorizer authorizer = authorizer(Duration.ofSeconds(2), Duration.ofSeconds(5), 4);
        Caller caller = caller("a", 1, NOW.plusSeconds(600));
        status.set(503);
        assertThat(ask(authorizer, "private-doc.1", caller).outcome()).isEqualTo(Outcome.ERROR);
        status.set(200);
        answer.set("<html>ok</html>");
        assertThat(ask(authorizer, "private-doc.1", caller).outcome()).isEqualTo(Outcome.ERROR);
        answer.set("{\"allow\": true, \"user_info\": {\"name\": \"Ada\"}}");
        OwnerAnswer recovered = ask(authorizer, "private-doc.1", caller);
        assertThat(recovered.outcome()).isEqualTo(Outcome.ALLOWED);
        assertThat(recovered.userInfo()).containsEntry("name", "Ada");
        assertThat(owner.calls()).hasSize(3);
    }

    @Test
    void onlyABooleanAllowTrueAllows() throws Exception {
        HttpOwnerAuthorizer authorizer = authorizer(Duration.ofSeconds(2), Duration.ZERO, 4);
        Caller caller = caller("a", 1, NOW.plusSeconds(600));
        Map<String, Outcome> bodies = Map.of(
                "{\"allow\": true}",
                Outcome.ALLOWED,
                "{\"allow\": false}",
                Outcome.REFUSED,
                "{\"allowed\": true}",
                Outcome.ERROR,
                "{\"allow\": 1}",
                Outcome.ERROR,
                "{\"allow\": \"true\"}",
                Outcome.ERROR,
                "[true]",
                Outcome.ERROR,
                "{\"allow\": true, \"user_info\": \"Ada\"}",
                Outcome.ERROR,
                "{\"allow\": true, \"pad\": \"" + "x".repeat(HttpOwnerAuthorizer.MAX_BODY_BYTES) + "\"}",
                Outcome.ERROR);
        bodies.forEach((body, expected) -> {
            answer.set(body);
            assertThat(ask(authorizer, "private-doc.1", caller).outcome())
                    .as(body.length() > 80 ? "a body over 64 KiB" : body)
                    .isEqualTo(expected);
        });
        answer.set("{\"allow\": true}");
        for (int code : List.of(201, 204, 302, 400, 401, 403, 404, 500, 502)) {
            status.set(code);
            assertThat(ask(authorizer, "private-doc.1", caller).outcome())
                    .as("status " + code)
                    .isEqualTo(Outcome.ERROR);
        }
    }

    @Test
    void aSlowOwnerTimesOutAndAConnectionErrorRefuses() throws Exception {
        HttpOwnerAuthorizer authorizer = authorizer(Duration.ofMillis(300), Duration.ofSeconds(5), 4);
        Caller caller = caller("a", 1, NOW.plusSeconds(600));
        long started = System.nanoTime();
        assertThat(ask(authorizer, "private-hold.1", caller).outcome()).isEqualTo(Outcome.TIMEOUT);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        URI closed = URI.create("http://127.0.0.1:" + freePort() + "/can-read");
        assertThat(authorizer.ask(closed, "private-doc.1", Map.of(), caller).outcome())
                .isEqualTo(Outcome.ERROR);
    }

    @Test
    void aFullBulkheadRefusesAtOnceAndTheOwnerNeverSeesMore() throws Exception {
        HttpOwnerAuthorizer authorizer = authorizer(Duration.ofSeconds(20), Duration.ofSeconds(5), 2);
        List<CompletableFuture<OwnerAnswer>> held = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Caller caller = caller("held-" + i, 1, NOW.plusSeconds(600));
            held.add(CompletableFuture.supplyAsync(() -> ask(authorizer, "private-hold.1", caller)));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> owner.inFlight() == 2);
        long started = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            assertThat(ask(authorizer, "private-hold.1", caller("extra-" + i, 1, NOW.plusSeconds(600)))
                            .outcome())
                    .isEqualTo(Outcome.BUSY);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started))
                .as("refused at once, not after the owner's answer")
                .isLessThan(Duration.ofSeconds(2));
        assertThat(heard).filteredOn("busy"::equals).hasSize(5);
        release.countDown();
        assertThat(held)
                .allSatisfy(
                        f -> assertThat(f.get(10, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.ALLOWED));
        assertThat(owner.maxInFlight()).isEqualTo(2);
        // the permits came back
        assertThat(ask(authorizer, "private-doc.9", caller("later", 1, NOW.plusSeconds(600)))
                        .outcome())
                .isEqualTo(Outcome.ALLOWED);
    }

    @Test
    void aCallerWithoutSubjectDoesNotThrow() throws Exception {
        HttpOwnerAuthorizer authorizer = authorizer(Duration.ofSeconds(2), Duration.ofSeconds(5), 4);
        assertThat(ask(authorizer, "private-doc.1", new Caller(null, Map.of(), "t"))
                        .outcome())
                .isEqualTo(Outcome.ALLOWED);
        assertThat(owner.calls().get(0).sub()).isNull();
    }

    @Test
    void ownerAnswerWithADuplicateKeyIsRefused() throws Exception {
        HttpOwnerAuthorizer authorizer = authorizer(Duration.ofSeconds(2), Duration.ZERO, 4);
        Caller caller = caller("a", 1, NOW.plusSeconds(600));
        for (String body : List.of(
                "{\"allow\": false, \"allow\": true}",
                "{\"allow\": true, \"allow\": true}",
                "{\"allow\": true, \"user_info\": {\"name\": \"Ada\", \"name\": \"Eve\"}}",
                "{\"allow\": false} {\"allow\": true}")) {
            answer.set(body);
            assertThat(ask(authorizer, "private-doc.1", caller).outcome())
                    .as(body)
                    .isEqualTo(Outcome.ERROR);
        }
    }

    @Test
    void ownerCallsInFlightAreCappedAcrossAllOwners() throws Exception {
        // 2 per owner, 3 for all owners together: two owners (two authorizer URLs) with 2 calls each held
        HttpOwnerAuthorizer authorizer = authorizer(Duration.ofSeconds(20), Duration.ofSeconds(5), 2, 3);
        URI first = owner.url();
        URI second = URI.create(owner.url() + "?owner=second");
        List<CompletableFuture<OwnerAnswer>> calls = new ArrayList<>();
        for (URI url : List.of(first, first, second, second)) {
            Caller caller = caller("held-" + calls.size(), 1, NOW.plusSeconds(600));
            calls.add(CompletableFuture.supplyAsync(
                    () -> authorizer.ask(url, "private-hold.1", Map.of("id", "1"), caller), pool));
        }
        // three reach the owners; the fourth is refused at once although its own owner has room
        await().atMost(Duration.ofSeconds(10))
                .until(() -> owner.inFlight() == 3
                        && calls.stream().filter(CompletableFuture::isDone).count() == 1);
        assertThat(calls.stream().filter(CompletableFuture::isDone).map(CompletableFuture::join))
                .singleElement()
                .satisfies(a -> assertThat(a.outcome()).isEqualTo(Outcome.BUSY));
        release.countDown();
        assertThat(calls.stream().map(CompletableFuture::join).filter(a -> a.outcome() == Outcome.ALLOWED))
                .hasSize(3);
        assertThat(owner.maxInFlight()).isEqualTo(3);
        // the permits came back, to both bulkheads
        assertThat(authorizer
                        .ask(second, "private-doc.9", Map.of("id", "9"), caller("later", 1, NOW.plusSeconds(600)))
                        .outcome())
                .isEqualTo(Outcome.ALLOWED);
    }

    private static int freePort() throws Exception {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
