package io.switchboard.gateway.config;

import java.net.InetAddress;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may read the management port's details ({@code switchboard.management.*}). The health status
 * ({@code /actuator/health}, {@code /health/liveness}, {@code /health/readiness}: {@code {"status": "UP"}}) is always
 * open, for probes.
 *
 * @param access {@code auto} (default): when the management address ({@code SWITCHBOARD_MANAGEMENT_ADDRESS}) is a
 *     loopback address, whoever can connect is on the host and reads everything (health details, metrics,
 *     Prometheus); on any other address, those need the operator token as a bearer token. {@code operator-token}:
 *     they need it on loopback too. Env {@code SWITCHBOARD_MANAGEMENT_ACCESS}.
 */
@ConfigurationProperties("switchboard.management")
public record ManagementAccessProperties(
        @DefaultValue("auto") Access access) {

    /**
     * True when the management port's details are open to whoever connects: {@code auto} and a loopback address.
     * An unset address (every interface) is not loopback.
     */
    public boolean openWithoutToken(InetAddress managementAddress) {
        return access == Access.AUTO && managementAddress != null && managementAddress.isLoopbackAddress();
    }

    public enum Access {
        /** Open on a loopback management address, the operator token elsewhere. */
        AUTO,
        /** The operator token everywhere. */
        OPERATOR_TOKEN
    }
}
