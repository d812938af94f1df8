package io.switchboard.gateway.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Asks the service that owns a channel, over HTTP.
 *
 * <p><b>The contract.</b> {@code POST <authorizer>} with {@code Authorization: Bearer <the caller's token>} and the
 * JSON body {@code {"channel_name": "...", "params": {placeholder: value}, "sub": "..."}}. The owner allows only by
 * answering status {@code 200} with a JSON object whose {@code allow} is the boolean {@code true}; it may add
 * {@code "user_info": {...}}, which becomes a presence member's user_info (the member's user_id stays the token's
 * {@code sub}). {@code 200 {"allow": false}} refuses. Anything else refuses too and counts as an error: another
 * status (204, 3xx, which is not followed, 4xx, 5xx), another body (HTML, {@code {"allowed": true}}, a string
 * {@code "true"}), a body over 64 KiB, a body that repeats a key ({@code {"allow": false, "allow": true}}: parsers
 * disagree on which one counts, so neither does) or has anything after the object, a connection error, or no
 * complete answer within the timeout.
 *
 * <p><b>The cache.</b> The owner decides from exactly four things: the token (every claim in it), the channel name,
 * the params and {@code sub}. The params are a function of the channel name (the rule's template reads them from it)
 * and {@code sub} is a claim of the token, so the key <em>(authorizer URL, channel name, SHA-256 of the token)</em>
 * covers everything the owner was given: an answer is reused only for a request the owner could not tell apart from
 * the one it answered. Two users of different tenants with the same {@code sub} hold different tokens, so they never
 * share an answer; nor does one user across tenants, roles or token refreshes. Nothing else of the request reaches
 * the owner (no socket id, no other header), so nothing else can change its answer. The token itself is not kept,
 * only its hash. Only the owner's own verdicts ({@code 200 {"allow": true|false}}) are cached; errors, timeouts and
 * full bulkheads never. An entry lives for the TTL (short: a revocation waits at most that long), never past the
 * token's {@code exp}, and a token without {@code exp} is never cached.
 *
 * <p><b>Bounds.</b> Each call is bounded by the timeout, for the whole answer, body included (the exchange is
 * aborted at the deadline). Each authorizer URL has its own bulkhead of {@code maxConcurrent} calls, and all owners
 * together share one of {@code maxConcurrentTotal}, both with no waiting: when either is full the caller is refused
 * at once ({@link OwnerAnswer.Outcome#BUSY}). So a slow owner holds at most {@code maxConcurrent} request threads, and
 * several slow owners at most {@code maxConcurrentTotal} (kept below the server's thread pool), and the other requests
 * keep their threads. Every answer, cached or not, goes to the {@link Listener} (the metrics).
 */
public final class HttpOwnerAuthorizer implements OwnerAuthorizer {

    /**
     * @param timeout the most one call may take, answer included
     * @param cacheTtl how long an owner's verdict is reused; zero turns the cache off
     * @param maxConcurrent the calls in flight per authorizer URL; more are refused at once
     * @param maxConcurrentTotal the calls in flight to all owners together; more are refused at once
     * @param cacheSize the most answers kept
     */
    public record Settings(
            Duration timeout, Duration cacheTtl, int maxConcurrent, int maxConcurrentTotal, long cacheSize) {}

    /** Hears every answer: where it came from, what it was, how long it took. */
    @FunctionalInterface
    public interface Listener {
        Listener NONE = (owner, answer, cached, took) -> {};

        void answered(URI owner, OwnerAnswer answer, boolean cached, Duration took);
    }

    static final int MAX_BODY_BYTES = 64 * 1024;

    private static final Logger log = LoggerFactory.getLogger(HttpOwnerAuthorizer.class);
    // strict: a repeated key is an error, not "the last one wins" ({"allow": false, "allow": true} would allow), and
    // so is anything after the answer's object
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private record Key(String authorizer, String channel, String tokenSha256) {}

    private record Entry(OwnerAnswer answer, Instant validUntil) {}

    private final HttpClient http;
    private final Settings settings;
    private final Clock clock;
    private final Listener listener;
    private final BulkheadRegistry bulkheads;
    private final Bulkhead allOwners;
    private final Cache<Key, Entry> answers;

    public HttpOwnerAuthorizer(Settings settings, Clock clock, Listener listener) {
        this.settings = settings;
        this.clock = clock;
        this.listener = listener;
        // HTTP/1.1: one connection per call in flight, so aborting a call at its deadline closes its connection and
        // the owner sees it end; redirects are not followed (the token would follow them)
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(settings.timeout())
                .build();
        this.bulkheads = BulkheadRegistry.of(BulkheadConfig.custom()
                .maxConcurrentCalls(settings.maxConcurrent())
                .maxWaitDuration(Duration.ZERO)
                .build());
        this.allOwners = Bulkhead.of(
                "all-owners",
                BulkheadConfig.custom()
                        .maxConcurrentCalls(settings.maxConcurrentTotal())
                        .maxWaitDuration(Duration.ZERO)
                        .build());
        this.answers = settings.cacheTtl().isZero()
                ? null
                : Caffeine.newBuilder()
                        .expireAfterWrite(settings.cacheTtl())
                        .maximumSize(settings.cacheSize())
                        .build();
    }

    @Override
    public OwnerAnswer ask(URI authorizer, String channel, Map<String, String> params, Caller caller) {
        long started = System.nanoTime();
        Instant now = clock.instant();
        Key key = new Key(authorizer.toString(), channel, sha256(Objects.requireNonNullElse(caller.token(), "")));
        if (answers != null) {
            Entry hit = answers.getIfPresent(key);
            // checked against the clock, not only left to the cache's own expiry: exp is wall-clock time
            if (hit != null && now.isBefore(hit.validUntil())) {
                listener.answered(authorizer, hit.answer(), true, Duration.ofNanos(System.nanoTime() - started));
                return hit.answer();
            }
        }
        OwnerAnswer answer = call(authorizer, channel, params, caller);
        Instant exp = caller.expiresAt();
        if (answers != null && answer.cacheable() && exp != null) {
            Instant until = now.plus(settings.cacheTtl());
            if (exp.isBefore(until)) {
                until = exp;
            }
            if (until.isAfter(now)) {
                answers.put(key, new Entry(answer, until));
            }
        }
        listener.answered(authorizer, answer, false, Duration.ofNanos(System.nanoTime() - started));
        return answer;
    }

    private OwnerAnswer call(URI authorizer, String channel, Map<String, String> params, Caller caller) {
        Bulkhead bulkhead = bulkheads.bulkhead(authorizer.toString());
        if (!bulkhead.tryAcquirePermission()) {
            return OwnerAnswer.of(OwnerAnswer.Outcome.BUSY);
        }
        if (!allOwners.tryAcquirePermission()) {
            bulkhead.onComplete();
            return OwnerAnswer.of(OwnerAnswer.Outcome.BUSY);
        }
        CompletableFuture<HttpResponse<byte[]>> exchange = null;
        try {
            exchange =
                    http.sendAsync(request(authorizer, channel, params, caller), BoundedBody.handler(MAX_BODY_BYTES));
            return classify(authorizer, channel, exchange.get(settings.timeout().toNanos(), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            log.warn(
                    "channel owner {} did not answer within {}: refusing {}",
                    display(authorizer),
                    settings.timeout(),
                    channel);
            return OwnerAnswer.of(OwnerAnswer.Outcome.TIMEOUT);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof HttpTimeoutException) {
                log.warn(
                        "channel owner {} timed out ({}): refusing {}",
                        display(authorizer),
                        e.getCause().getClass().getSimpleName(),
                        channel);
                return OwnerAnswer.of(OwnerAnswer.Outcome.TIMEOUT);
            }
            log.warn(
                    "channel owner {} could not be asked ({}): refusing {}",
                    display(authorizer),
                    e.getCause() == null ? "?" : e.getCause().getClass().getSimpleName(),
                    channel);
            return OwnerAnswer.of(OwnerAnswer.Outcome.ERROR);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OwnerAnswer.of(OwnerAnswer.Outcome.ERROR);
        } finally {
            if (exchange != null) {
                exchange.cancel(true); // aborts an exchange still running at the deadline; a no-op once done
            }
            allOwners.onComplete();
            bulkhead.onComplete();
        }
    }

    private HttpRequest request(URI authorizer, String channel, Map<String, String> params, Caller caller) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("channel_name", channel);
        body.put("params", params);
        body.put("sub", caller.subject());
        return HttpRequest.newBuilder(authorizer)
                .timeout(settings.timeout())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .header("Authorization", "Bearer " + caller.token())
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build();
    }

    private static OwnerAnswer classify(URI authorizer, String channel, HttpResponse<byte[]> response) {
        if (response.statusCode() != 200) {
            return outsideContract(authorizer, channel, "status " + response.statusCode());
        }
        if (response.body() == null) {
            return outsideContract(authorizer, channel, "a body over " + MAX_BODY_BYTES + " bytes");
        }
        JsonNode answer;
        try {
            answer = JSON.readTree(response.body());
        } catch (JacksonException e) {
            return outsideContract(
                    authorizer, channel, "status 200 with a body that is not one JSON value without repeated keys");
        }
        JsonNode allow = answer == null || !answer.isObject() ? null : answer.get("allow");
        if (allow == null || !allow.isBoolean()) {
            return outsideContract(authorizer, channel, "status 200 without a boolean \"allow\"");
        }
        if (!allow.booleanValue()) {
            return OwnerAnswer.of(OwnerAnswer.Outcome.REFUSED);
        }
        JsonNode userInfo = answer.get("user_info");
        if (userInfo == null || userInfo.isNull()) {
            return OwnerAnswer.of(OwnerAnswer.Outcome.ALLOWED);
        }
        if (!userInfo.isObject()) {
            return outsideContract(authorizer, channel, "a \"user_info\" that is not a JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> info = JSON.treeToValue(userInfo, Map.class);
        return new OwnerAnswer(OwnerAnswer.Outcome.ALLOWED, info);
    }

    private static OwnerAnswer outsideContract(URI authorizer, String channel, String what) {
        log.warn(
                "channel owner {} answered {}; the contract is 200 {\"allow\": true|false}: refusing {}",
                display(authorizer),
                what,
                channel);
        return OwnerAnswer.of(OwnerAnswer.Outcome.ERROR);
    }

    /** The URL without user info or query, for logs. */
    static String display(URI url) {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort())
                + (url.getRawPath() == null ? "" : url.getRawPath());
    }

    private static String sha256(String token) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
