package io.switchboard.gateway.http;

import io.switchboard.gateway.auth.Loopback;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses (403) a request whose {@code Host} header is not loopback ({@code localhost}, {@code 127.x.y.z},
 * {@code [::1]}, with or without a port), for what is open to whoever connects on a loopback bind (the console in
 * {@code ./switchboard dev}). Without it, DNS rebinding turns any web page into a reader of that data: the page's name
 * first resolves to the attacker's server, then to 127.0.0.1, and the browser, seeing the same origin, lets the page
 * read the answers. Such a request still carries the page's own name as its {@code Host}, which this filter checks.
 */
public final class LoopbackHostFilter extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!Loopback.hostHeader(request.getHeader(HttpHeaders.HOST))) {
            Refusals.refuse(
                    request,
                    response,
                    403,
                    Refusals.HOST_NOT_LOOPBACK,
                    "open on loopback to requests for localhost, 127.0.0.1 or [::1] only");
            return;
        }
        chain.doFilter(request, response);
    }
}
