package io.switchboard.gateway.http;

import com.nimbusds.jose.proc.BadJOSEException;
import java.text.ParseException;
import java.util.Collection;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.JwtValidationException;

/**
 * Why Spring Security's resource server refused a request, as the refusal counter's reason, read from the exception
 * its entry point gets. Forged tokens ({@link Refusals#TOKEN_SIGNATURE}, {@link Refusals#TOKEN_MALFORMED}) are
 * counted apart from stale tabs ({@link Refusals#TOKEN_EXPIRED}) and misconfigured callers
 * ({@link Refusals#TOKEN_CLAIMS}), so an alert on forgeries is not drowned by expiries.
 *
 * <p>How Spring Security 7 reports each (NimbusJwtDecoder, wrapped by JwtAuthenticationProvider into an
 * {@code InvalidBearerTokenException} whose cause is the {@link BadJwtException}):
 *
 * <ul>
 *   <li>the signature checked out but a claim did not: a {@link JwtValidationException} with one
 *       {@link OAuth2Error} per failed check. Only the description tells {@code JwtTimestampValidator}'s expiry
 *       ("Jwt expired at ...") from the other checks ("exp is required", "The aud claim is not valid", ...); the
 *       description is Spring's, pinned by TokenRefusalReasonsIT. Expired only when expiry is the only failure;
 *   <li>a bad signature, a key the key set does not have, an unexpected algorithm: Nimbus's {@link BadJOSEException}
 *       as the cause; an unsigned token ({@code alg: none}): a {@link BadJwtException} without a cause;
 *   <li>not a JWT at all, or an unreadable header or payload: a {@link ParseException} in the cause chain; the
 *       bearer token resolver's own refusals ("Bearer token is malformed", several tokens) carry no JWT exception.
 * </ul>
 */
public final class TokenRefusals {

    private static final String EXPIRED = "Jwt expired at";

    private TokenRefusals() {}

    /** The reason for a 401 from the bearer entry point: a token problem, or {@link Refusals#NO_TOKEN}. */
    public static String reason(AuthenticationException e) {
        if (!(e instanceof OAuth2AuthenticationException)) {
            return Refusals.NO_TOKEN; // no bearer token: the anonymous request was refused by the authorization rule
        }
        Throwable cause = e.getCause();
        if (cause instanceof JwtValidationException validation) {
            return onlyExpiry(validation.getErrors()) ? Refusals.TOKEN_EXPIRED : Refusals.TOKEN_CLAIMS;
        }
        if (!(cause instanceof BadJwtException bad)) {
            return Refusals.TOKEN_MALFORMED; // the Authorization header itself, before any JWT was read
        }
        if (causedBy(bad, ParseException.class)) {
            return Refusals.TOKEN_MALFORMED;
        }
        if (bad.getCause() == null || bad.getCause() instanceof BadJOSEException) {
            return Refusals.TOKEN_SIGNATURE; // unsigned, or the signature or key did not verify
        }
        return Refusals.TOKEN_MALFORMED;
    }

    private static boolean onlyExpiry(Collection<OAuth2Error> errors) {
        return !errors.isEmpty()
                && errors.stream()
                        .allMatch(error -> error.getDescription() != null
                                && error.getDescription().startsWith(EXPIRED));
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
