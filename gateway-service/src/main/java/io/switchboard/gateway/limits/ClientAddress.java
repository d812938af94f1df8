package io.switchboard.gateway.limits;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * The key a client address is limited under: an IPv4 address as it is, an IPv6 address by its /64 prefix (one
 * host usually holds a whole /64, so per-address IPv6 keys would let it rotate past the limit). The address is the
 * servlet's remote address: behind a load balancer, set {@code server.forward-headers-strategy} (env
 * {@code SWITCHBOARD_FORWARD_HEADERS_STRATEGY=native}) so that Tomcat's RemoteIpValve takes the client's address from
 * {@code X-Forwarded-For}, and only from proxies on internal addresses.
 */
final class ClientAddress {

    // only these characters: InetAddress.getByName then parses a literal and never asks DNS
    private static final Pattern IPV6_LITERAL = Pattern.compile("[0-9A-Fa-f:.]+");

    private ClientAddress() {}

    static String key(String remoteAddress) {
        if (remoteAddress == null
                || remoteAddress.indexOf(':') < 0
                || !IPV6_LITERAL.matcher(remoteAddress).matches()) {
            return String.valueOf(remoteAddress);
        }
        try {
            // a literal, never a host name: getByName does no lookup for it
            InetAddress address = InetAddress.getByName(remoteAddress);
            if (address instanceof Inet6Address) {
                byte[] prefix = Arrays.copyOf(address.getAddress(), 16);
                Arrays.fill(prefix, 8, 16, (byte) 0);
                return InetAddress.getByAddress(prefix).getHostAddress() + "/64";
            }
            return address.getHostAddress();
        } catch (UnknownHostException e) {
            return remoteAddress;
        }
    }
}
