package io.switchboard.gateway.auth;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSetCacheRefreshEvaluator;
import com.nimbusds.jose.jwk.source.JWKSetSource;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.jwk.source.URLBasedJWKSetSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import java.io.IOException;
import java.net.URL;
import java.time.Duration;
import java.util.List;

/**
 * The issuer's keys, from its JWKS URL: Nimbus's {@link JWKSourceBuilder} (cached for 5 minutes, its default) with
 * its refetch rate limiter on (Spring Security 7 builds its JWKS source with the limiter off).
 *
 * <p>Hand-written around Nimbus, in one respect: when the limiter stops a refetch, Nimbus throws, which Spring
 * Security reports as a server error (500), and a refresh of the expired cache stopped that way would refuse
 * every token, valid ones included, until the limiter reopens. Here a stopped refetch answers from the last key
 * set fetched instead: a token whose key is in it still passes, a token with an unknown {@code kid} finds no key
 * and gets 401. So a flood of made-up {@code kid}s costs at most two fetches per interval and refuses nobody else.
 */
final class JwksKeys implements JWKSource<SecurityContext> {

    private final JWKSource<SecurityContext> limited;
    private volatile JWKSet lastFetched = new JWKSet();

    JwksKeys(URL jwksUrl, Duration refetchInterval) {
        JWKSetSource<SecurityContext> fetch = new URLBasedJWKSetSource<>(
                jwksUrl,
                new DefaultResourceRetriever(
                        JWKSourceBuilder.DEFAULT_HTTP_CONNECT_TIMEOUT,
                        JWKSourceBuilder.DEFAULT_HTTP_READ_TIMEOUT,
                        JWKSourceBuilder.DEFAULT_HTTP_SIZE_LIMIT));
        JWKSetSource<SecurityContext> remembering = new JWKSetSource<>() {
            @Override
            public JWKSet getJWKSet(JWKSetCacheRefreshEvaluator evaluator, long now, SecurityContext context)
                    throws KeySourceException {
                JWKSet keys = fetch.getJWKSet(evaluator, now, context);
                lastFetched = keys;
                return keys;
            }

            @Override
            public void close() throws IOException {
                fetch.close();
            }
        };
        this.limited = JWKSourceBuilder.create(remembering)
                .rateLimited(refetchInterval.toMillis())
                .retrying(false)
                .build();
    }

    @Override
    public List<JWK> get(JWKSelector selector, SecurityContext context) throws KeySourceException {
        try {
            return limited.get(selector, context);
        } catch (RateLimitReachedException e) {
            return selector.select(lastFetched);
        }
    }
}
