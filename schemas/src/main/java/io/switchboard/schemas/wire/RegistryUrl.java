package io.switchboard.schemas.wire;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * The schema registry URL, {@code http(s)://[USER:PASSWORD@]HOST[:PORT][/PATH]}, checked before anything talks to it.
 * The user-info may hold a password (sent as HTTP Basic), so no message shows it: {@link URI}'s own errors quote the
 * whole input, which is why the parse error's reason is kept and its input is not.
 */
public final class RegistryUrl {

    private RegistryUrl() {}

    /**
     * The URL parsed, or an {@link IllegalArgumentException} whose message completes a sentence that starts with the
     * setting's name ("SCHEMA_REGISTRY_URL must be ...") and shows the URL as {@link #withoutUserInfo}.
     */
    public static URI parse(String url) {
        String stripped = url.strip();
        URI uri;
        try {
            uri = new URI(stripped.endsWith("/") ? stripped.substring(0, stripped.length() - 1) : stripped);
        } catch (URISyntaxException e) {
            throw refused(stripped, " (" + e.getReason() + ")");
        }
        boolean web = uri.getScheme() != null
                && (uri.getScheme().equalsIgnoreCase("http") || uri.getScheme().equalsIgnoreCase("https"));
        if (web && uri.getHost() == null) {
            // java.net.URI takes "schema_registry:8081" as a registry-based authority, without a host
            throw refused(stripped, " (no host name; one holds letters, digits, '-' and '.', never '_')");
        }
        if (!web || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw refused(stripped, "");
        }
        if (uri.getRawPath() != null && uri.getRawPath().contains("@")) {
            // "http://svc:pa/ss@registry": the password's '/' ended the authority; the rest would be shown as a path
            throw refused(stripped, " (a '/' in the password must be written %2F)");
        }
        return uri;
    }

    /** {@code url} with its user-info, if any, shown as {@code ***}. */
    public static String withoutUserInfo(String url) {
        int at = url.lastIndexOf('@');
        if (at < 0) {
            return url;
        }
        int scheme = url.indexOf("://");
        return (scheme >= 0 && scheme < at ? url.substring(0, scheme + 3) : "") + "***" + url.substring(at);
    }

    private static IllegalArgumentException refused(String url, String why) {
        return new IllegalArgumentException("must be http://HOST:PORT or https://HOST:PORT, with an optional path,"
                + " e.g. http://registry:8081; was " + withoutUserInfo(url) + why);
    }
}
