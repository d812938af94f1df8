package io.switchboard.gateway.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Asks an owning service over HTTP: {@code POST <authorizer>} with the caller's bearer token and
 * {@code {"channel_name", "params", "sub"}}; a 2xx answer allows, anything else refuses. An error or a timeout
 * refuses too (and is not cached). Answers are cached per (authorizer, subject, channel) for a short time, since
 * pusher-js asks again on every reconnect.
 */
public final class HttpOwnerAuthorizer implements OwnerAuthorizer {

    private static final Logger log = LoggerFactory.getLogger(HttpOwnerAuthorizer.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http;
    private final Duration timeout;
    private final Cache<List<String>, Boolean> answers;

    public HttpOwnerAuthorizer(Duration timeout, Duration cacheTtl, long cacheSize) {
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.timeout = timeout;
        this.answers = Caffeine.newBuilder()
                .expireAfterWrite(cacheTtl)
                .maximumSize(cacheSize)
                .build();
    }

    @Override
    public boolean allows(URI authorizer, String channel, Map<String, String> params, Caller caller) {
        List<String> key = List.of(authorizer.toString(), caller.subject(), channel);
        Boolean cached = answers.getIfPresent(key);
        if (cached != null) {
            return cached;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("channel_name", channel);
        body.put("params", params);
        body.put("sub", caller.subject());
        try {
            HttpResponse<Void> answer = http.send(
                    HttpRequest.newBuilder(authorizer)
                            .timeout(timeout)
                            .header("Content-Type", "application/json")
                            .header("Authorization", "Bearer " + caller.token())
                            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            boolean allowed = answer.statusCode() / 100 == 2;
            answers.put(key, allowed);
            return allowed;
        } catch (IOException e) {
            log.warn(
                    "channel authorizer {} did not answer ({}): refusing {}",
                    authorizer,
                    e.getClass().getSimpleName(),
                    channel);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
