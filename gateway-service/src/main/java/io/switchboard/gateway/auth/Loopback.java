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
     * A listen address ({@code server.address}); unset or blank means every interface, which is not loopback.
     */
    public static boolean listenAddress(String address) {
        return host(address);
    }
}
