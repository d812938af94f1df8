package io.switchboard.gateway.config;

import io.switchboard.gateway.auth.AuthMode;
import io.switchboard.gateway.http.LoopbackHostFilter;
import io.switchboard.gateway.http.RefusalCors;
import io.switchboard.gateway.http.Refusals;
import io.switchboard.gateway.http.TokenRefusals;
import io.switchboard.gateway.limits.KeyedRateLimiter;
import io.switchboard.gateway.limits.RateLimitFilters;
import io.switchboard.gateway.operator.OperatorToken;
import io.switchboard.gateway.operator.OperatorTokenFilter;
import jakarta.servlet.DispatcherType;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementServerProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

/**
 * The HTTP security of both ports, as five chains; the first whose matcher fits a request decides.
 *
 * <ol>
 *   <li><b>Management</b> (Actuator, on its own port only: {@code GATEWAY_MANAGEMENT_PORT}, bound to
 *       {@code SWITCHBOARD_MANAGEMENT_ADDRESS}): the health status is open for probes; health details, metrics,
 *       Prometheus and the rest need an operator ({@link ManagementAccessProperties}).
 *   <li><b>Test endpoint</b>, only when enabled: the operator token, nothing else (a browser's JWT gets 401).
 *   <li><b>Channel and user auth</b> ({@code /auth}, {@code /user-auth}), with CORS for the configured origins. In
 *       {@code jwt} mode Spring Security's resource server verifies the bearer token (signature, expiry, issuer,
 *       audience: AuthConfig's decoder) before the channel policy is asked; a missing, forged, expired or malformed
 *       token gets 401, counted as {@code no_token}, {@code token_expired}, {@code token_signature},
 *       {@code token_claims} or {@code token_malformed} ({@link TokenRefusals}); then the per-caller rate limit.
 *   <li><b>The console</b>, only when enabled ({@code /console/**}): open on a loopback {@code server.address} with
 *       no proxy in front, to requests whose {@code Host} is loopback ({@link LoopbackHostFilter});
 *       elsewhere its page and script load for anyone (they hold no data) and its {@code /console/api/**} needs the
 *       operator token ({@link ConsoleProperties#openWithoutToken}).
 *   <li><b>Everything else</b>, on either port, answers 404: the public port serves no {@code /actuator} at all.
 * </ol>
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({
    OperatorProperties.class,
    TestEndpointProperties.class,
    CorsProperties.class,
    ManagementAccessProperties.class,
    LimitsProperties.class,
    ConsoleProperties.class
})
public class SecurityConfig {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfig.class);
    static final String AUTH = "/api/realtime/pusher/auth";
    static final String USER_AUTH = "/api/realtime/pusher/user-auth";
    static final String TEST = "/api/realtime/pusher/test";
    static final String CONSOLE = "/console";
    static final String CONSOLE_API = "/console/api/**";

    @Bean
    @Order(1)
    SecurityFilterChain managementChain(
            HttpSecurity http,
            OperatorProperties operator,
            ManagementAccessProperties access,
            ObjectProvider<ManagementServerProperties> managementProperties,
            Environment environment)
            throws Exception {
        ManagementPortType portType = ManagementPortType.get(environment);
        if (portType == ManagementPortType.SAME) {
            throw new IllegalStateException("management.server.port (GATEWAY_MANAGEMENT_PORT) must differ from"
                    + " server.port (GATEWAY_PORT): the public port serves no /actuator");
        }
        ManagementServerProperties management = managementProperties.getObject();
        InetAddress address = management.getAddress();
        boolean open = access.openWithoutToken(address);
        OperatorToken token = operator.operatorToken().orElse(null);
        if (portType == ManagementPortType.DIFFERENT) {
            log.info(
                    "management: port {} on {}; health status open; details, metrics and Prometheus {}",
                    management.getPort(),
                    address == null ? "every address" : address.getHostAddress(),
                    open ? "open (loopback)" : "for the operator token");
            if (!open && token == null) {
                log.warn(
                        "management: SWITCHBOARD_OPERATOR_TOKEN is not set, so health details, metrics and"
                                + " Prometheus answer 401 on {} until it is",
                        address == null ? "0.0.0.0" : address);
            }
        }
        common(http)
                .securityMatcher(EndpointRequest.toAnyEndpoint())
                .authorizeHttpRequests(a -> a.dispatcherTypeMatchers(DispatcherType.ERROR)
                        .permitAll()
                        .requestMatchers(EndpointRequest.to(HealthEndpoint.class))
                        .permitAll()
                        .anyRequest()
                        .hasRole(OperatorTokenFilter.ROLE))
                .addFilterBefore(new OperatorTokenFilter(token, open), AuthorizationFilter.class)
                .exceptionHandling(e -> e.authenticationEntryPoint(OperatorTokenFilter.entryPoint()));
        return http.build();
    }

    @Bean
    @Order(2)
    @Conditional(TestEndpointEnabled.class)
    SecurityFilterChain testEndpointChain(HttpSecurity http, OperatorProperties operator) throws Exception {
        OperatorToken token = operator.operatorToken()
                .orElseThrow(() -> new IllegalStateException("switchboard.test-endpoint.enabled"
                        + " (SWITCHBOARD_TEST_ENDPOINT) needs " + OperatorProperties.SETTING
                        + ": the test endpoint is for operators, and browsers must not hold their credential"));
        log.info("test endpoint: POST {} enabled, for the operator token only", TEST);
        common(http)
                .securityMatcher(TEST)
                .authorizeHttpRequests(a -> a.dispatcherTypeMatchers(DispatcherType.ERROR)
                        .permitAll()
                        .anyRequest()
                        .hasRole(OperatorTokenFilter.ROLE))
                .addFilterBefore(new OperatorTokenFilter(token, false), AuthorizationFilter.class)
                .exceptionHandling(e -> e.authenticationEntryPoint(OperatorTokenFilter.entryPoint()));
        return http.build();
    }

    @Bean
    @Order(3)
    SecurityFilterChain channelAuthChain(
            HttpSecurity http,
            AuthProperties properties,
            RefusalCors refusalCors,
            @Qualifier("callerRateLimiter") KeyedRateLimiter callerRateLimiter)
            throws Exception {
        common(http).securityMatcher(AUTH, USER_AUTH).cors(c -> c.configurationSource(refusalCors.source()));
        if (properties.mode() == AuthMode.JWT) {
            AuthenticationEntryPoint entryPoint = countedBearerEntryPoint();
            http.authorizeHttpRequests(a -> a.dispatcherTypeMatchers(DispatcherType.ERROR)
                            .permitAll()
                            .anyRequest()
                            .authenticated())
                    .oauth2ResourceServer(rs -> rs.jwt(jwt -> {}).authenticationEntryPoint(entryPoint))
                    .exceptionHandling(e -> e.authenticationEntryPoint(entryPoint))
                    .addFilterAfter(
                            RateLimitFilters.perCaller(callerRateLimiter), BearerTokenAuthenticationFilter.class);
        } else {
            // deny and names-only: the authorizer decides (deny refuses everything), no caller identity
            http.authorizeHttpRequests(a -> a.anyRequest().permitAll());
        }
        return http.build();
    }

    @Bean
    @Order(4)
    @Conditional(ConsoleEnabled.class)
    SecurityFilterChain consoleChain(
            HttpSecurity http,
            ConsoleProperties console,
            OperatorProperties operator,
            PusherProperties pusher,
            ForwardingProperties forwarding,
            ServerProperties server,
            Environment environment)
            throws Exception {
        String address = environment.getProperty("server.address");
        // behind a proxy, a loopback bind no longer means "someone on this host": the proxy forwards whoever reaches it
        boolean behindProxy = server.getForwardHeadersStrategy() == ServerProperties.ForwardHeadersStrategy.NATIVE
                || !forwarding.trustedProxies().isEmpty();
        boolean open = console.openWithoutToken(address, behindProxy);
        OperatorToken token = operator.operatorToken().orElse(null);
        if (!open && token == null) {
            throw new IllegalStateException(ConsoleProperties.ENABLED + " on server.address "
                    + (address == null || address.isBlank() ? "(every interface)" : address)
                    + (console.access() == ManagementAccessProperties.Access.AUTO ? "" : " with access operator-token")
                    + (behindProxy
                            ? " behind a proxy (" + ForwardingConfig.STRATEGY + " native or "
                                    + ForwardingProperties.SETTING + " set)"
                            : "")
                    + " needs " + OperatorProperties.SETTING
                    + ": beyond loopback the console's data (every event, channel and dead letter) is for operators");
        }
        log.info(
                "console: {}/ enabled; its data {}",
                CONSOLE,
                open
                        ? "open (server.address is loopback), for Host localhost, 127.x or [::1] only"
                        : "for the operator token");
        common(http)
                .securityMatcher(CONSOLE, CONSOLE + "/**")
                .headers(h -> h.contentSecurityPolicy(csp -> csp.policyDirectives(consolePolicy(console, pusher))))
                .authorizeHttpRequests(a -> {
                    a.dispatcherTypeMatchers(DispatcherType.ERROR).permitAll();
                    if (!open) {
                        a.requestMatchers(CONSOLE_API).hasRole(OperatorTokenFilter.ROLE);
                    }
                    a.anyRequest().permitAll();
                })
                .addFilterBefore(new OperatorTokenFilter(token, open), AuthorizationFilter.class)
                .exceptionHandling(e -> e.authenticationEntryPoint(OperatorTokenFilter.entryPoint()));
        if (open) {
            // open means "whoever is on this host"; a page elsewhere whose name resolves to 127.0.0.1 (DNS rebinding)
            // reaches the loopback port too, but its requests carry its own name as Host
            http.addFilterBefore(new LoopbackHostFilter(), OperatorTokenFilter.class);
        }
        return http.build();
    }

    /**
     * The console's Content-Security-Policy: its own script and styles only (no inline script, so text from Kafka
     * that reached the page could never run), its own API, and the WebSocket of the Pusher-protocol server that
     * browsers connect to ({@link ConsoleProperties#browserWsHost}).
     */
    static String consolePolicy(ConsoleProperties console, PusherProperties pusher) {
        String host = console.browserWsHost(pusher);
        String ws = host != null ? host : "ws-" + pusher.cluster() + ".pusher.com";
        return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' ws://"
                + ws + ":* wss://" + ws + ":*; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    }

    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    SecurityFilterChain notFoundChain(HttpSecurity http) throws Exception {
        common(http)
                .authorizeHttpRequests(a -> a.dispatcherTypeMatchers(DispatcherType.ERROR)
                        .permitAll()
                        .anyRequest()
                        .denyAll())
                .exceptionHandling(
                        e -> e.authenticationEntryPoint((request, response, ex) -> notFound(request, response))
                                .accessDeniedHandler((request, response, ex) -> notFound(request, response)));
        return http.build();
    }

    private static void notFound(
            jakarta.servlet.http.HttpServletRequest request, jakarta.servlet.http.HttpServletResponse response)
            throws java.io.IOException {
        Refusals.refuse(request, response, 404, "not_found", "not found");
    }

    private static HttpSecurity common(HttpSecurity http) throws Exception {
        return http.csrf(csrf -> csrf.disable()) // bearer tokens, no cookies: nothing for CSRF to ride on
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .logout(logout -> logout.disable());
    }

    /**
     * Spring Security's bearer entry point (401, WWW-Authenticate), tagging the refusal for the counter with what was
     * wrong with the token ({@link TokenRefusals}).
     */
    private static AuthenticationEntryPoint countedBearerEntryPoint() {
        BearerTokenAuthenticationEntryPoint bearer = new BearerTokenAuthenticationEntryPoint();
        return (request, response, e) -> {
            Refusals.tag(request, TokenRefusals.reason(e));
            bearer.commence(request, response, e);
        };
    }

    /**
     * The one CORS configuration of the auth endpoints, for Spring Security's CORS filter and for the refusals
     * answered before it ({@link RefusalCors}: the 413 and the per-address 429). Deliberately not a bean of type
     * {@code CorsConfigurationSource}: Spring Security would then turn CORS on in every chain.
     */
    @Bean
    RefusalCors refusalCors(CorsProperties cors) {
        return new RefusalCors(corsSource(cors));
    }

    /**
     * CORS for the auth endpoints: the configured origins may POST with {@code Authorization} and
     * {@code Content-Type} (what pusher-js and Laravel Echo send), without cookies, and read {@code Retry-After}
     * (not a CORS-safelisted response header) on a 429. With no origin configured no CORS configuration exists and
     * Spring adds no CORS header: a browser refuses cross-origin calls itself.
     */
    static UrlBasedCorsConfigurationSource corsSource(CorsProperties cors) {
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        if (!cors.allowedOrigins().isEmpty()) {
            CorsConfiguration config = new CorsConfiguration();
            config.setAllowedOrigins(cors.allowedOrigins());
            config.setAllowedMethods(List.of("POST"));
            config.setAllowedHeaders(List.of("Authorization", "Content-Type", "X-Requested-With", "X-Socket-ID"));
            config.setExposedHeaders(List.of(HttpHeaders.RETRY_AFTER));
            config.setAllowCredentials(false);
            config.setMaxAge(Duration.ofHours(1));
            source.registerCorsConfiguration(AUTH, config);
            source.registerCorsConfiguration(USER_AUTH, config);
            log.info("CORS: {} may call the auth endpoints", cors.allowedOrigins());
        }
        return source;
    }
}
