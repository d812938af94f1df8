package io.switchboard.gateway.config;

import io.switchboard.gateway.auth.AuthMode;
import io.switchboard.gateway.auth.ChannelPolicy;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Channel authorization settings ({@code switchboard.auth.*}).
 *
 * @param mode {@code deny} (default), {@code jwt}, or {@code names-only} (local development only); env
 *     {@code SWITCHBOARD_AUTH_MODE}
 * @param jwt how callers' tokens are verified (mode {@code jwt})
 * @param rules the channel policy (mode {@code jwt}): the first rule whose template matches decides
 * @param presenceInfoClaims claims copied into a presence member's {@code user_info}
 * @param authorizerTimeout how long an owning service's authorizer may take; no answer refuses
 * @param authorizerCacheTtl how long an authorizer's answer is reused for the same subject and channel
 */
@ConfigurationProperties("switchboard.auth")
public record AuthProperties(
        @DefaultValue("deny") AuthMode mode,
        @DefaultValue Jwt jwt,
        @DefaultValue List<ChannelPolicy.Rule> rules,
        @DefaultValue("name") List<String> presenceInfoClaims,
        @DefaultValue("2s") Duration authorizerTimeout,
        @DefaultValue("30s") Duration authorizerCacheTtl) {

    /**
     * @param hs256Secret the shared HMAC secret (at least 32 bytes); env {@code SWITCHBOARD_JWT_HS256_SECRET}
     * @param jwksUrl the issuer's JSON Web Key Set, instead of a secret; env {@code SWITCHBOARD_JWT_JWKS_URL}
     * @param issuer when set, tokens must carry this {@code iss}; env {@code SWITCHBOARD_JWT_ISSUER}
     */
    public record Jwt(String hs256Secret, URI jwksUrl, String issuer) {
        @Override
        public String toString() {
            return "Jwt[hs256Secret=" + (hs256Secret == null || hs256Secret.isEmpty() ? "unset" : "****") + ", jwksUrl="
                    + jwksUrl + ", issuer=" + issuer + "]";
        }
    }
}
