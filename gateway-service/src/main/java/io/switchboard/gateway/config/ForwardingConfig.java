package io.switchboard.gateway.config;

import org.apache.catalina.valves.RemoteIpValve;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.tomcat.TomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.boot.web.server.autoconfigure.ServerProperties.ForwardHeadersStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Whose {@code X-Forwarded-For} the gateway believes: the per-address rate limit is keyed on the client address
 * Tomcat reports, so a forwarded address may come only from the proxies an operator lists.
 *
 * <ul>
 *   <li>{@code SWITCHBOARD_FORWARD_HEADERS_STRATEGY=none} (default): the connection's own address; a
 *       {@code X-Forwarded-For} header changes nothing.
 *   <li>{@code native}: Spring Boot adds Tomcat's {@link RemoteIpValve}, whose default internal proxies are every
 *       private, loopback and link-local address (any pod in the cluster, any SNAT'ed client). This customizer
 *       replaces them with {@code SWITCHBOARD_TRUSTED_PROXIES} (as CIDR blocks, the valve's own CIDR matching) and
 *       trusts nobody else; without that setting the service does not start.
 *   <li>{@code framework}: Spring's {@code ForwardedHeaderFilter} believes the header from every peer; refused.
 * </ul>
 *
 * The gateway's yml sets {@code server.tomcat.remoteip.internal-proxies} to empty (nobody), so a valve this
 * customizer does not reach (the management port's) trusts no peer either.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ForwardingProperties.class)
public class ForwardingConfig {

    static final String STRATEGY = "server.forward-headers-strategy (SWITCHBOARD_FORWARD_HEADERS_STRATEGY)";

    @Bean
    WebServerFactoryCustomizer<TomcatWebServerFactory> trustedProxies(
            ForwardingProperties forwarding, ServerProperties server) {
        return new TrustedProxies(forwarding, server.getForwardHeadersStrategy());
    }

    /** Runs after Spring Boot's own Tomcat customizer (order 0), which adds the valve. */
    static final class TrustedProxies implements WebServerFactoryCustomizer<TomcatWebServerFactory>, Ordered {

        private static final Logger log = LoggerFactory.getLogger(ForwardingConfig.class);

        private final ForwardingProperties forwarding;
        private final ForwardHeadersStrategy strategy;

        TrustedProxies(ForwardingProperties forwarding, ForwardHeadersStrategy strategy) {
            this.forwarding = forwarding;
            this.strategy = strategy;
        }

        @Override
        public int getOrder() {
            return 1;
        }

        @Override
        public void customize(TomcatWebServerFactory factory) {
            if (strategy == ForwardHeadersStrategy.FRAMEWORK) {
                throw new IllegalStateException(STRATEGY + " is framework, which believes X-Forwarded-For from every"
                        + " peer, so any client could choose its rate-limit address: use native with "
                        + ForwardingProperties.SETTING);
            }
            RemoteIpValve valve = factory.getEngineValves().stream()
                    .filter(RemoteIpValve.class::isInstance)
                    .map(RemoteIpValve.class::cast)
                    .findFirst()
                    .orElse(null);
            if (valve == null) {
                if (!forwarding.trustedProxies().isEmpty()) {
                    log.warn(
                            "client addresses: {} is set but {} is not native: X-Forwarded-For is ignored",
                            ForwardingProperties.SETTING,
                            STRATEGY);
                }
                return;
            }
            if (forwarding.trustedProxies().isEmpty()) {
                throw new IllegalStateException(STRATEGY + " is native, so " + ForwardingProperties.SETTING
                        + " must list the load balancers or proxies whose X-Forwarded-For is believed (addresses or"
                        + " CIDR blocks, comma-separated): without it Tomcat believes any peer on a private address,"
                        + " and a client could choose its own rate-limit address");
            }
            valve.setInternalProxies(forwarding.asTomcatCidrList());
            valve.setTrustedProxies(null);
            log.info("client addresses: X-Forwarded-For believed from {} only", forwarding.asTomcatCidrList());
        }
    }
}
