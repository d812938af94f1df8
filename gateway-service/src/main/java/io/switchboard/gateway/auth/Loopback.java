package io.switchboard.gateway.auth;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Whether a host or a listen address is loopback, read from its text alone: {@code localhost}, {@code 127.0.0.0/8},
 * {@code ::1}. No DNS lookup: a name could resolve differently later, so any other name counts as not loopback.
 */
public final class Loopback {

    private static final Pattern IPV4_LOOPBACK = Pattern.compile("127(\\.\\d{1,3}){3}");
    private static final Pattern PORT = Pattern.compile(":\\d{1,5}");

    private Loopback() {}

    /** A URL's host ({@link java.net.URI#getHost()}: IPv6 in brackets). */
    public static boolean host(String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.equals("localhost") || IPV4_LOOPBACK.matcher(h).matches()) {
            return true;
        }
        if (h.indexOf(':') >= 0) {
            try {
                // an IPv6 literal (it has a colon): parsed, never looked up
                return InetAddress.getByName(h).isLoopbackAddress();
            } catch (UnknownHostException | SecurityException e) {
                return false;
            }
        }
        return false;
    }

    /**
     * A request's {@code Host} header, {@code host[:port]}: true when the host is loopback ({@code localhost},
     * {@code 127.x.y.z}, {@code [::1]}). A missing header, a malformed port or an IPv6 address without its brackets
     * is not.
     */
    public static boolean hostHeader(String header) {
        if (header == null) {
            return false;
        }
        String value = header.strip();
        String host;
        String port;
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            if (close < 0) {
                return false;
            }
            host = value.substring(0, close + 1);
            port = value.substring(close + 1);
        } else {
            int colon = value.indexOf(':');
            host = colon < 0 ? value : value.substring(0, colon);
            port = colon < 0 ? "" : value.substring(colon);
        }
        return (port.isEmpty() || PORT.matcher(port).matches()) && host(host);
    }

    /**
     * A listen address ({@code server.address}); unset or blank means every interface, which is not loopback.
     */
    public static boolean listenAddress(String address) {
        return host(address);
    }
}
