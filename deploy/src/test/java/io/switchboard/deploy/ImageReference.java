package io.switchboard.deploy;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An image name as FROM and compose's {@code image:} write it: {@code [registry/]repository[:tag][@digest]}. */
record ImageReference(String repository, String tag, String digest) {

    /** A release, down to at least major.minor (a leading v allowed): 4.1.2, 17.0.15_6-jre-noble, 1.6-16-debian. */
    private static final Pattern RELEASE_TAG = Pattern.compile("v?\\d+\\.\\d+.*");

    private static final Pattern LEADING_NUMBER = Pattern.compile("v?(\\d+).*");

    static ImageReference parse(String reference) {
        String rest = reference;
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) { // a colon before the last slash is a registry's port
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
        }
        return new ImageReference(rest, tag, digest);
    }

    /** Pinned: a digest, or a release tag (never latest, never a bare major such as 17-jre that moves every update). */
    boolean pinned() {
        return (digest != null && digest.startsWith("sha256:"))
                || (tag != null && RELEASE_TAG.matcher(tag).matches());
    }

    /** The tag's leading number (17 for 17.0.15_6-jre-noble), or -1. */
    int majorVersion() {
        if (tag == null) {
            return -1;
        }
        Matcher number = LEADING_NUMBER.matcher(tag);
        return number.matches() ? Integer.parseInt(number.group(1)) : -1;
    }
}
