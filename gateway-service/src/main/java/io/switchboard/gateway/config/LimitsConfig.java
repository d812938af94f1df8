package io.switchboard.gateway.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.gateway.http.ApiPath;
import io.switchboard.gateway.http.RefusalCors;
import io.switchboard.gateway.http.RefusalMetricsFilter;
import io.switchboard.gateway.limits.BodyLimitFilter;
import io.switchboard.gateway.limits.KeyedRateLimiter;
import io.switchboard.gateway.limits.RateLimitFilters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The public API's servlet filters, in this order, all before Spring Security (order -100) and only on the public
 * port (the management port is a child context with servlet filters of its own):
 *
 * <ol>
 *   <li>{@link RefusalMetricsFilter} (-300): counts every refusal of what runs inside it, once;
 *   <li>the per-address rate limit (-250): before the body is read or a token verified;
 *   <li>{@link BodyLimitFilter} (-200): before anything parses the body.
 * </ol>
 *
 * The per-caller limit runs inside Spring Security, once the token is verified (SecurityConfig). The 413 and the
 * per-address 429 carry the CORS headers of the auth endpoints' configuration ({@link RefusalCors}), since Spring
 * Security's CORS filter runs after them.
 */
@Configuration(proxyBeanMethods = false)
public class LimitsConfig {

    private static final Logger log = LoggerFactory.getLogger(LimitsConfig.class);
    private static final String API = "/api/realtime/pusher/*";

    @Bean
    KeyedRateLimiter callerRateLimiter(LimitsProperties limits) {
        return new KeyedRateLimiter(
                "caller", limits.perCallerRequests(), limits.perCallerPeriod(), limits.trackedKeys());
    }

    @Bean
    KeyedRateLimiter addressRateLimiter(LimitsProperties limits) {
        return new KeyedRateLimiter(
                "address", limits.perAddressRequests(), limits.perAddressPeriod(), limits.trackedKeys());
    }

    @Bean
    FilterRegistrationBean<RefusalMetricsFilter> refusalMetricsFilter(MeterRegistry registry) {
        return registration(new RefusalMetricsFilter(registry), -300);
    }

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> addressRateLimitFilter(
            KeyedRateLimiter addressRateLimiter, RefusalCors refusalCors) {
        return registration(RateLimitFilters.perAddress(addressRateLimiter, refusalCors), -250);
    }

    @Bean
    FilterRegistrationBean<BodyLimitFilter> bodyLimitFilter(LimitsProperties limits, RefusalCors refusalCors) {
        long auth = limits.authBody().toBytes();
        long test = limits.testBody().toBytes();
        log.info(
                "limits: bodies {} bytes ({} for the test endpoint); {} auth attempts per {}s per caller, {} requests"
                        + " per {}s per address",
                auth,
                test,
                limits.perCallerRequests(),
                limits.perCallerPeriod().toMillis() / 1000.0,
                limits.perAddressRequests(),
                limits.perAddressPeriod().toMillis() / 1000.0);
        return registration(
                new BodyLimitFilter(
                        // the endpoint the request reaches (decoded path), not the raw URI: /%74est is the test's
                        request -> ApiPath.TEST.equals(ApiPath.endpoint(request)) ? test : auth,
                        refusalCors),
                -200);
    }

    private static <F extends OncePerRequestFilter> FilterRegistrationBean<F> registration(F filter, int order) {
        FilterRegistrationBean<F> registration = new FilterRegistrationBean<>(filter);
        registration.addUrlPatterns(API);
        registration.setOrder(order);
        return registration;
    }
}
