package io.switchboard.gateway.operator;

import io.switchboard.gateway.http.Refusals;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates operators in the security chains of the test endpoint and the management port: a bearer token equal
 * to the operator token makes the request an operator's ({@link #ROLE}); any other bearer token is refused at once
 * (401), whatever else it may be (a browser's valid JWT is not an operator's credential). Without a bearer token the
 * request goes on anonymous, and the chain's rules decide, unless {@code everyoneIsOperator} (a management port on
 * loopback, {@code switchboard.management.access=auto}).
 */
public final class OperatorTokenFilter extends OncePerRequestFilter {

    /** The role an operator request carries ({@code hasRole("OPERATOR")}, health's {@code roles: OPERATOR}). */
    public static final String ROLE = "OPERATOR";

    private static final String BEARER = "Bearer ";

    private final OperatorToken token;
    private final boolean everyoneIsOperator;
    private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();

    /** @param token the operator token, or null when none is configured (every bearer token is then refused) */
    public OperatorTokenFilter(OperatorToken token, boolean everyoneIsOperator) {
        this.token = token;
        this.everyoneIsOperator = everyoneIsOperator;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            if (token == null
                    || !token.matches(header.substring(BEARER.length()).strip())) {
                response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"");
                Refusals.refuse(
                        request, response, 401, Refusals.OPERATOR_TOKEN_INVALID, "this is not the operator token");
                return;
            }
            authenticate("operator");
        } else if (everyoneIsOperator) {
            authenticate("loopback");
        }
        chain.doFilter(request, response);
    }

    private void authenticate(String name) {
        Authentication operator = UsernamePasswordAuthenticationToken.authenticated(
                name, null, List.of(new SimpleGrantedAuthority("ROLE_" + ROLE)));
        SecurityContext context = contexts.createEmptyContext();
        context.setAuthentication(operator);
        contexts.setContext(context);
    }

    /** 401 for a request that needs the operator token and has none. */
    public static AuthenticationEntryPoint entryPoint() {
        return (request, response, e) -> {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
            Refusals.refuse(request, response, 401, Refusals.OPERATOR_TOKEN_REQUIRED, "an operator token is required");
        };
    }
}
