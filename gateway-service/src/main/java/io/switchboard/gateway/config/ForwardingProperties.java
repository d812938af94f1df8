package io.switchboard.gateway.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.catalina.util.NetMask;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Which peers may tell the gateway a client's address ({@code switchboard.forwarding.*}).
 *
 * @param trustedProxies the load balancers and reverse proxies whose {@code X-Forwarded-For} is believed, as
 *     addresses ({@code 10.0.3.7}, {@code fd00::1}) or CIDR blocks ({@code 10.0.0.0/16}, {@code fd00::/8});
 *     env {@code SWITCHBOARD_TRUSTED_PROXIES}, comma-separated; default none. Required when
 *     {@code SWITCHBOARD_FORWARD_HEADERS_STRATEGY=native}: Tomcat would otherwise believe any peer on a private
 *     address (every pod of the cluster, every SNAT'ed client), and a client could pick its own rate-limit key.
 *     Literal addresses only (a host name would need DNS at start and could change); {@code /0} is refused, since it
 *     trusts every peer.
 */
@ConfigurationProperties("switchboard.forwarding")
public record ForwardingProperties(@DefaultValue List<String> trustedProxies) {

    static final String SETTING = "switchboard.forwarding.trusted-proxies (SWITCHBOARD_TRUSTED_PROXIES)";

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    // an IPv6 literal always has a colon, which no host name has, so InetAddress never asks DNS for it
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*");
    private static final Pattern PREFIX = Pattern.compile("\\d{1,3}");

    public ForwardingProperties {
        List<String> cidrs = new ArrayList<>();
        for (String entry : trustedProxies) {
            String proxy = entry.strip();
            if (!proxy.isEmpty()) {
                cidrs.add(cidr(proxy));
            }
        }
        trustedProxies = List.copyOf(cidrs);
    }

    /** The trusted proxies as Tomcat's RemoteIpValve reads CIDR lists: comma-separated, each with its prefix. */
    public String asTomcatCidrList() {
        return String.join(", ", trustedProxies);
    }

    /** One entry as a CIDR block (an address alone is its own /32 or /128), checked with Tomcat's own parser. */
    private static String cidr(String proxy) {
        int slash = proxy.indexOf('/');
        String address = slash < 0 ? proxy : proxy.substring(0, slash);
        String prefix = slash < 0 ? null : proxy.substring(slash + 1);
        boolean v4 = isIpv4(address);
        if ((!v4 && !IPV6.matcher(address).matches())
                || (prefix != null && !PREFIX.matcher(prefix).matches())) {
            throw notAnAddress(proxy);
        }
        if (prefix != null && Integer.parseInt(prefix) == 0) {
            throw new IllegalArgumentException(
                    SETTING + ": " + proxy + " trusts every peer; list the proxies' addresses or subnets");
        }
        String block = prefix == null ? proxy + (v4 ? "/32" : "/128") : proxy;
        try {
            new NetMask(block); // the parser the valve uses: a valid address, a prefix within its length
        } catch (IllegalArgumentException e) {
            throw notAnAddress(proxy);
        }
        return block;
    }

    private static boolean isIpv4(String address) {
        // 300.1.1.1 is no address: InetAddress would look it up as a host name
        return IPV4.matcher(address).matches()
                && Arrays.stream(address.split("\\.")).allMatch(octet -> Integer.parseInt(octet) <= 255);
    }

    private static IllegalArgumentException notAnAddress(String proxy) {
        return new IllegalArgumentException(SETTING + ": not an IP address or CIDR block: " + proxy
                + " (literal addresses only, for example 10.0.3.7 or 10.0.0.0/16)");
    }
}
