package io.switchboard.gateway.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.cors.CorsUtils;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Counts every refused request of the public API once, by endpoint and reason:
 * {@code switchboard_gateway_auth_refused_total{endpoint="auth|user-auth|test|other", reason="..."}}. It runs
 * outside every other filter, so refusals by the body limit, the rate limits, Spring Security's entry points (401
 * invalid_token), CORS and the controllers (403 by the policy's reason code) all pass through it; the reason is the
 * tag set by whoever refused ({@link Refusals}), or {@code http_<status>} when none did (a 405 or a 415 from Spring
 * MVC). The one place that counts, so no refusal is counted twice or forgotten. The endpoint is the one the request
 * reaches ({@link ApiPath}: the decoded path, so {@code /%61uth} counts as {@code auth}).
 */
public final class RefusalMetricsFilter extends OncePerRequestFilter {

    public static final String METRIC = "switchboard.gateway.auth.refused";

    private final MeterRegistry registry;

    public RefusalMetricsFilter(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } finally {
            int status = response.getStatus();
            if (status >= 400) {
                String reason = Refusals.reason(request);
                if (reason == null) {
                    reason = status == 403 && CorsUtils.isCorsRequest(request)
                            ? Refusals.CORS_ORIGIN_REFUSED
                            : "http_" + status;
                }
                counter(ApiPath.endpoint(request), reason).increment();
            }
        }
    }

    private Counter counter(String endpoint, String reason) {
        return Counter.builder(METRIC)
                .description("Requests the gateway's public API refused, by endpoint and reason")
                .tag("endpoint", endpoint)
                .tag("reason", reason)
                .register(registry);
    }
}
