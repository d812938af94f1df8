package io.switchboard.gateway.config;

import io.switchboard.gateway.auth.AuthMode;
import io.switchboard.gateway.auth.ChannelPolicy;
import io.switchboard.gateway.auth.Loopback;
import io.switchboard.gateway.auth.UserIds;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Channel authorization settings ({@code switchboard.auth.*}); an out-of-range value stops start-up with a message
 * naming the setting and its environment variable.
 *
 * @param mode {@code deny} (default), {@code jwt}, or {@code names-only} (local development only); env
 *     {@code SWITCHBOARD_AUTH_MODE}
 * @param jwt how callers' tokens are verified (mode {@code jwt})
 * @param owner how owning services' authorizers are asked (rules with an {@code authorizer})
 * @param rules the channel policy (mode {@code jwt}): the first rule whose template matches decides
 * @param presenceInfoClaims claims copied into a presence member's {@code user_info}
 * @param userId the caller's Pusher user id (presence {@code user_id}, user authentication's {@code user_data.id}):
 *     a template over claims joined by literal text, {@code {sub}} (default) or {@code {org_id}:{sub}}; every claim
 *     it names is required (see {@link UserIds}); env {@code SWITCHBOARD_AUTH_USER_ID}
 * @param namesOnlyOnAnyAddress lets {@code names-only} mode start although {@code server.address} is not loopback
 *     (default false: it refuses to start); env {@code SWITCHBOARD_AUTH_NAMES_ONLY_ON_ANY_ADDRESS}
 */
@ConfigurationProperties("switchboard.auth")
public record AuthProperties(
        @DefaultValue("deny") AuthMode mode,
        @DefaultValue Jwt jwt,
        @DefaultValue Owner owner,
        @DefaultValue List<ChannelPolicy.Rule> rules,
        @DefaultValue("name") List<String> presenceInfoClaims,
        @DefaultValue(UserIds.DEFAULT) String userId,
        @DefaultValue("false") boolean namesOnlyOnAnyAddress) {

    static final Duration MAX_CLOCK_SKEW = Duration.ofSeconds(60);

    static final String USER_ID = "switchboard.auth.user-id (SWITCHBOARD_AUTH_USER_ID)";

    public AuthProperties {
        userIds(userId); // a malformed template stops start-up, naming the setting
    }

    /** The compiled {@link #userId()} template. */
    public UserIds userIds() {
        return userIds(userId);
    }

    private static UserIds userIds(String template) {
        return UserIds.compile(USER_ID, template);
    }

    /**
     * @param hs256Secret the shared HMAC secret (at least 32 bytes); env {@code SWITCHBOARD_JWT_HS256_SECRET}
     * @param jwksUrl the issuer's JSON Web Key Set, instead of a secret; env {@code SWITCHBOARD_JWT_JWKS_URL}
     * @param issuer when set, tokens must carry this {@code iss}; env {@code SWITCHBOARD_JWT_ISSUER}
     * @param audience when set, tokens' {@code aud} must contain it; env {@code SWITCHBOARD_JWT_AUDIENCE}
     * @param clockSkew tolerance on {@code exp} and {@code nbf}, 0 to 60 s (default 30 s); env
     *     {@code SWITCHBOARD_JWT_CLOCK_SKEW}
     * @param jwksRefetchInterval with a JWKS, tokens with an unknown {@code kid} refetch the key set at most twice
     *     per interval, 1 s to 1 h (default 30 s); env {@code SWITCHBOARD_JWT_JWKS_REFETCH_INTERVAL}
     * @param jwksAllowHttp lets {@code jwksUrl} be plain http on a host that is not loopback (default false: whoever
     *     can change the key set in transit can mint tokens); env {@code SWITCHBOARD_JWT_JWKS_ALLOW_HTTP}
     */
    public record Jwt(
            String hs256Secret,
            URI jwksUrl,
            String issuer,
            String audience,
            @DefaultValue("30s") Duration clockSkew,
            @DefaultValue("30s") Duration jwksRefetchInterval,
            @DefaultValue("false") boolean jwksAllowHttp) {

        public Jwt {
            if (jwksUrl != null && jwksUrl.toString().isEmpty()) {
                jwksUrl = null;
            }
            if (jwksUrl != null) {
                checkJwksUrl(jwksUrl, jwksAllowHttp);
            }
            if (clockSkew.isNegative() || clockSkew.compareTo(MAX_CLOCK_SKEW) > 0) {
                throw new IllegalArgumentException(
                        "switchboard.auth.jwt.clock-skew (SWITCHBOARD_JWT_CLOCK_SKEW) must be"
                                + " from 0s to 60s: an expired token is accepted for that long. Not " + clockSkew);
            }
            if (jwksRefetchInterval.compareTo(Duration.ofSeconds(1)) < 0
                    || jwksRefetchInterval.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("switchboard.auth.jwt.jwks-refetch-interval"
                        + " (SWITCHBOARD_JWT_JWKS_REFETCH_INTERVAL) must be from 1s to 1h, not " + jwksRefetchInterval);
            }
        }

        private static void checkJwksUrl(URI url, boolean allowHttp) {
            String setting = "switchboard.auth.jwt.jwks-url (SWITCHBOARD_JWT_JWKS_URL)";
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            if (url.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
                throw new IllegalArgumentException(setting + " must be an absolute https URL, not " + url);
            }
            if (url.getRawUserInfo() != null) {
                throw new IllegalArgumentException(setting + " may not carry credentials in its URL");
            }
            if (scheme.equals("http") && !allowHttp && !Loopback.host(url.getHost())) {
                throw new IllegalArgumentException(setting + " is plain http to " + url.getHost()
                        + ": whoever can change the key set on the way can sign tokens the gateway accepts. Use"
                        + " https, or set switchboard.auth.jwt.jwks-allow-http=true"
                        + " (SWITCHBOARD_JWT_JWKS_ALLOW_HTTP) if that network is trusted");
            }
        }

        @Override
        public String toString() {
            return "Jwt[hs256Secret=" + (hs256Secret == null || hs256Secret.isEmpty() ? "unset" : "****")
                    + ", jwksUrl=" + jwksUrl + ", issuer=" + issuer + ", audience=" + audience + ", clockSkew="
                    + clockSkew + ", jwksRefetchInterval=" + jwksRefetchInterval + ", jwksAllowHttp=" + jwksAllowHttp
                    + "]";
        }
    }

    /**
     * @param timeout the most one call to an owner may take, answer included, over 0 and at most 30 s (default 2 s);
     *     env {@code SWITCHBOARD_OWNER_TIMEOUT}
     * @param cacheTtl how long an owner's verdict is reused for the same authorizer, channel and token, 0 (off) to
     *     60 s (default 5 s): a revocation waits at most that long; env {@code SWITCHBOARD_OWNER_CACHE_TTL}
     * @param maxConcurrent calls in flight per authorizer URL, 1 to 1024 (default 16); more are refused at once;
     *     env {@code SWITCHBOARD_OWNER_MAX_CONCURRENT}
     * @param maxConcurrentTotal calls in flight to all owners together, 1 to 1024 (default 64, below Tomcat's 200
     *     request threads); more are refused at once; env {@code SWITCHBOARD_OWNER_MAX_CONCURRENT_TOTAL}
     * @param cacheSize the most answers kept (default 10000)
     */
    public record Owner(
            @DefaultValue("2s") Duration timeout,
            @DefaultValue("5s") Duration cacheTtl,
            @DefaultValue("16") int maxConcurrent,
            @DefaultValue("64") int maxConcurrentTotal,
            @DefaultValue("10000") long cacheSize) {

        public Owner {
            if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofSeconds(30)) > 0) {
                throw new IllegalArgumentException("switchboard.auth.owner.timeout (SWITCHBOARD_OWNER_TIMEOUT) must be"
                        + " over 0s and at most 30s, not " + timeout);
            }
            if (cacheTtl.isNegative() || cacheTtl.compareTo(Duration.ofSeconds(60)) > 0) {
                throw new IllegalArgumentException("switchboard.auth.owner.cache-ttl (SWITCHBOARD_OWNER_CACHE_TTL) must"
                        + " be from 0s (off) to 60s, not " + cacheTtl);
            }
            if (maxConcurrent < 1 || maxConcurrent > 1024) {
                throw new IllegalArgumentException("switchboard.auth.owner.max-concurrent"
                        + " (SWITCHBOARD_OWNER_MAX_CONCURRENT) must be from 1 to 1024, not " + maxConcurrent);
            }
            if (maxConcurrentTotal < 1 || maxConcurrentTotal > 1024) {
                throw new IllegalArgumentException("switchboard.auth.owner.max-concurrent-total"
                        + " (SWITCHBOARD_OWNER_MAX_CONCURRENT_TOTAL) must be from 1 to 1024, not "
                        + maxConcurrentTotal);
            }
            if (cacheSize < 0) {
                throw new IllegalArgumentException(
                        "switchboard.auth.owner.cache-size must be 0 or more, not " + cacheSize);
            }
        }
    }
}
