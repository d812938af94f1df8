package io.switchboard.gateway.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.CorsUtils;

/**
 * The CORS headers of a refusal answered before Spring Security's CORS filter runs (the body limit's 413, the
 * per-address limit's 429). Without them a cross-origin browser sees such an answer as a network error (status 0),
 * and pusher-js cannot read its status or {@code Retry-After}. The origin is checked by the same
 * {@link CorsConfigurationSource} Spring Security's filter uses ({@link CorsConfiguration#checkOrigin}), so a refusal
 * carries exactly the headers an allowed request would: an allowed origin gets {@code Access-Control-Allow-Origin}
 * and the exposed headers ({@code Retry-After}); any other origin, and any path without a CORS configuration, gets
 * none. Preflights are not refusals: Spring's CORS filter answers them.
 */
public final class RefusalCors {

    private final CorsConfigurationSource source;

    public RefusalCors(CorsConfigurationSource source) {
        this.source = source;
    }

    /** The source Spring Security's CORS filter uses for the auth endpoints. */
    public CorsConfigurationSource source() {
        return source;
    }

    /** Adds the CORS headers an allowed cross-origin request would get; nothing for other requests. */
    public void addHeaders(HttpServletRequest request, HttpServletResponse response) {
        try {
            if (!CorsUtils.isCorsRequest(request) || response.containsHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN)) {
                return; // same-origin, or already answered by Spring's CORS processing
            }
        } catch (IllegalArgumentException malformedOrigin) {
            return; // Spring's CORS filter refuses such an origin too
        }
        CorsConfiguration config = source.getCorsConfiguration(request);
        if (config == null) {
            return;
        }
        response.addHeader(HttpHeaders.VARY, HttpHeaders.ORIGIN); // the answer differs by origin: caches must know
        String allowed = config.checkOrigin(request.getHeader(HttpHeaders.ORIGIN));
        if (allowed == null) {
            return;
        }
        response.setHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, allowed);
        if (config.getExposedHeaders() != null && !config.getExposedHeaders().isEmpty()) {
            response.setHeader(
                    HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS, String.join(", ", config.getExposedHeaders()));
        }
        if (Boolean.TRUE.equals(config.getAllowCredentials())) {
            response.setHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
        }
    }
}
