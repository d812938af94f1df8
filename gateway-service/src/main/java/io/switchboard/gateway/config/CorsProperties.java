package io.switchboard.gateway.config;

import java.net.URI;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Cross-origin callers of the auth endpoints ({@code switchboard.cors.*}).
 *
 * @param allowedOrigins the origins ({@code https://app.example.com}, scheme, host and port exactly, no path, no
 *     wildcard) whose pages may call {@code /auth} and {@code /user-auth} from the browser; env
 *     {@code SWITCHBOARD_CORS_ALLOWED_ORIGINS}, comma-separated; default none (same-origin callers only: no CORS
 *     headers are sent). A cross-origin request from any other origin is refused with 403 once one is set.
 */
@ConfigurationProperties("switchboard.cors")
public record CorsProperties(@DefaultValue List<String> allowedOrigins) {

    public CorsProperties {
        allowedOrigins = allowedOrigins.stream()
                .map(String::strip)
                .filter(o -> !o.isEmpty())
                .toList();
        for (String origin : allowedOrigins) {
            URI uri;
            try {
                uri = URI.create(origin);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "switchboard.cors.allowed-origins (SWITCHBOARD_CORS_ALLOWED_ORIGINS): not an origin: "
                                + origin);
            }
            boolean plain = ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
                    && uri.getHost() != null
                    && (uri.getRawPath() == null || uri.getRawPath().isEmpty())
                    && uri.getRawQuery() == null
                    && uri.getRawFragment() == null
                    && uri.getRawUserInfo() == null;
            if (!plain) {
                throw new IllegalArgumentException(
                        "switchboard.cors.allowed-origins (SWITCHBOARD_CORS_ALLOWED_ORIGINS):"
                                + " an origin is scheme://host[:port], without path or wildcard, not " + origin);
            }
        }
    }
}
