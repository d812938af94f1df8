package io.switchboard.gateway.auth;

import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import java.net.MalformedURLException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * How a caller's bearer token is verified: Spring Security's {@link NimbusJwtDecoder} with these rules.
 *
 * <ul>
 *   <li>the signature: HS256 with the shared secret, or RS256 with a key of the issuer's JWKS; {@code alg: none}
 *       and any other algorithm are refused;
 *   <li>{@code exp} is required: a token without it would never expire. {@code exp} and {@code nbf} are checked
 *       with the clock skew ({@link Rules#clockSkew()}, 30 s by default, at most 60 s);
 *   <li>{@code iss} must equal the issuer, when one is set; {@code aud} must contain the audience, when one is set;
 *   <li>{@code sub} is required and non-blank for every token, whatever the rule: a presence member's user_id and
 *       the owner's {@code sub} come from it, and an empty one would be an identity shared by every such caller.
 *       Requiring it everywhere keeps one rule for operators to remember (and means an owner rule never sees a
 *       token without it).
 * </ul>
 *
 * <p>With a JWKS, the key set is fetched once and cached (Nimbus's {@link JWKSourceBuilder}: 5 minutes); a token
 * with an unknown {@code kid} triggers a refetch, at most two per {@code refetchInterval} (Nimbus's rate limiter), so
 * a storm of forged tokens with made-up {@code kid}s cannot turn into a storm of requests to the issuer (see
 * {@link JwksKeys}: Spring Security 7's own JWKS builder turns that limiter off).
 */
public final class Tokens {

    /**
     * @param issuer the {@code iss} every token must carry, or null/blank for any
     * @param audience a value every token's {@code aud} must contain, or null/blank for any
     * @param clockSkew the tolerance on {@code exp} and {@code nbf}
     */
    public record Rules(String issuer, String audience, Duration clockSkew) {}

    private Tokens() {}

    /** Tokens signed with HS256 and a shared secret (at least 32 bytes). */
    public static JwtDecoder hs256(byte[] secret, Rules rules, Clock clock) {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withSecretKey(new SecretKeySpec(secret, "HmacSHA256"))
                .macAlgorithm(MacAlgorithm.HS256)
                .build();
        decoder.setJwtValidator(validator(rules, clock));
        return decoder;
    }

    /** Tokens signed with RS256 by a key of the issuer's JSON Web Key Set. */
    public static JwtDecoder jwks(URI jwksUrl, Duration refetchInterval, Rules rules, Clock clock) {
        JwksKeys keys;
        try {
            keys = new JwksKeys(jwksUrl.toURL(), refetchInterval);
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("the JWKS URL is not a URL: " + jwksUrl, e);
        }
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSource(keys).build();
        decoder.setJwtValidator(validator(rules, clock));
        return decoder;
    }

    static OAuth2TokenValidator<Jwt> validator(Rules rules, Clock clock) {
        List<OAuth2TokenValidator<Jwt>> checks = new ArrayList<>();
        JwtTimestampValidator time = new JwtTimestampValidator(rules.clockSkew());
        time.setAllowEmptyExpiryClaim(false);
        time.setClock(clock);
        checks.add(time);
        checks.add(new JwtClaimValidator<Object>("sub", sub -> sub instanceof String s && !s.isBlank()));
        if (rules.issuer() != null && !rules.issuer().isBlank()) {
            checks.add(new JwtIssuerValidator(rules.issuer()));
        }
        if (rules.audience() != null && !rules.audience().isBlank()) {
            checks.add(new JwtAudienceValidator(rules.audience()));
        }
        return new DelegatingOAuth2TokenValidator<>(checks);
    }
}
