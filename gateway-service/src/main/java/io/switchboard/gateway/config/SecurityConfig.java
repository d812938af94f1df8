package io.switchboard.gateway.config;

import io.switchboard.gateway.auth.AuthMode;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
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
}
