package io.switchboard.gateway.config;

import io.switchboard.gateway.auth.AuthMode;
import java.nio.charset.StandardCharsets;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The HTTP security in front of the endpoints. In {@code jwt} mode Spring Security's resource server verifies the
 * bearer token (signature, expiry, issuer) before the channel policy is asked: a missing, forged, expired or
 * malformed token gets 401. Actuator endpoints stay open (the service binds to 127.0.0.1 unless told otherwise).
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfig {

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http, AuthProperties properties) throws Exception {
        http.csrf(csrf -> csrf.disable()) // bearer tokens, no cookies: nothing for CSRF to ride on
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable());
        if (properties.mode() == AuthMode.JWT) {
            http.authorizeHttpRequests(a -> a.requestMatchers("/actuator/**")
                            .permitAll()
                            .requestMatchers("/api/realtime/pusher/**")
                            .authenticated()
                            .anyRequest()
                            .denyAll())
                    .oauth2ResourceServer(rs -> rs.jwt(Customizer.withDefaults()));
        } else {
            // deny and names-only: the authorizer decides (deny refuses everything), no caller identity
            http.authorizeHttpRequests(a -> a.requestMatchers("/actuator/**", "/api/realtime/pusher/**")
                    .permitAll()
                    .anyRequest()
                    .denyAll());
        }
        return http.build();
    }

    /** Only in jwt mode (the resource server needs it); from the HS256 secret or the JWKS URL. */
    @Bean
    @ConditionalOnProperty(name = "switchboard.auth.mode", havingValue = "jwt")
    JwtDecoder jwtDecoder(AuthProperties properties) {
        AuthProperties.Jwt jwt = properties.jwt();
        boolean secret = jwt.hs256Secret() != null && !jwt.hs256Secret().isEmpty();
        if (secret == (jwt.jwksUrl() != null)) {
            throw new IllegalStateException(
                    "SWITCHBOARD_AUTH_MODE=jwt needs exactly one of switchboard.auth.jwt.hs256-secret"
                            + " (SWITCHBOARD_JWT_HS256_SECRET) and switchboard.auth.jwt.jwks-url (SWITCHBOARD_JWT_JWKS_URL)");
        }
        NimbusJwtDecoder decoder;
        if (secret) {
            byte[] key = jwt.hs256Secret().getBytes(StandardCharsets.UTF_8);
            if (key.length < 32) {
                throw new IllegalStateException("switchboard.auth.jwt.hs256-secret must be at least 32 bytes");
            }
            decoder = NimbusJwtDecoder.withSecretKey(new SecretKeySpec(key, "HmacSHA256"))
                    .macAlgorithm(MacAlgorithm.HS256)
                    .build();
        } else {
            decoder = NimbusJwtDecoder.withJwkSetUri(jwt.jwksUrl().toString()).build();
        }
        decoder.setJwtValidator(
                jwt.issuer() == null || jwt.issuer().isEmpty()
                        ? JwtValidators.createDefault()
                        : JwtValidators.createDefaultWithIssuer(jwt.issuer()));
        return decoder;
    }
}
