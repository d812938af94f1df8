package io.switchboard.router.routing;

/** A Pusher channel name: at most 164 characters of {@code A-Z a-z 0-9 _ - = @ , . ;}. Checked on construction. */
public record ChannelName(String value) {

    public static final int MAX_LENGTH = 164;

    /** Pusher's prefix of end-to-end encrypted channels; their data is larger once encrypted. */
    public static final String ENCRYPTED_PREFIX = "private-encrypted-";

    public ChannelName {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("a channel name may not be empty");
        }
        if (value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(
                    "channel name is " + value.length() + " characters, over Pusher's " + MAX_LENGTH);
        }
        if (!valid(value)) {
            throw new IllegalArgumentException(
                    "channel name '" + value + "' has characters Pusher refuses (allowed: A-Z a-z 0-9 _ - = @ , . ;)");
        }
    }

    /** Whether Pusher's clients receive this channel's events encrypted end to end. */
    public boolean encrypted() {
        return value.startsWith(ENCRYPTED_PREFIX);
    }

    /** Pusher's channel characters; a loop rather than a regex, since every routed channel is checked. */
    static boolean valid(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(isSafeValueChar(c) || c == ',' || c == '.' || c == ';')) {
                return false;
            }
        }
        return true;
    }

    /** The characters a placeholder value may hold: Pusher's, less the separators {@code , . ;}. */
    static boolean isSafeValueChar(char c) {
        return c >= 'a' && c <= 'z'
                || c >= 'A' && c <= 'Z'
                || c >= '0' && c <= '9'
                || c == '_'
                || c == '-'
                || c == '='
                || c == '@';
    }

    @Override
    public String toString() {
        return value;
    }
}
