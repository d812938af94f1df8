package io.switchboard.gateway.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Instant;
import java.util.Date;

/** HS256 tokens signed as an identity provider would, with Nimbus (as GatewayAuthIT does). */
final class TestTokens {

    static final String SECRET = "a-test-hs256-secret-of-at-least-32-bytes!";

    private TestTokens() {}

    /**
     * A token issued five minutes ago, valid for ten more, with {@code sub} and {@code org_id}; change it with the
     * builder (an earlier {@code exp} still comes after {@code iat}, as Spring Security requires).
     */
    static JWTClaimsSet.Builder valid(String sub, Object orgId) {
        return new JWTClaimsSet.Builder()
                .subject(sub)
                .claim("org_id", orgId)
                .claim("name", "Ada")
                .issueTime(Date.from(Instant.now().minusSeconds(300)))
                .expirationTime(Date.from(Instant.now().plusSeconds(600)));
    }

    static String sign(JWTClaimsSet.Builder claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
            jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sign(String sub, Object orgId) {
        return sign(valid(sub, orgId));
    }

    /** The claims of a token, read as an owning service would (it trusts the gateway's verification here). */
    static JWTClaimsSet claims(String bearer) {
        try {
            return SignedJWT.parse(bearer).getJWTClaimsSet();
        } catch (ParseException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
