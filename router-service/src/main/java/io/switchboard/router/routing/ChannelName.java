package io.switchboard.router.routing;

import java.util.regex.Pattern;

/** A Pusher channel name: at most 164 characters of {@code A-Z a-z 0-9 _ - = @ , . ;}. Checked on construction. */
public record ChannelName(String value) {

    public static final int MAX_LENGTH = 164;
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_\\-=@,.;]+");

    public ChannelName {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("a channel name may not be empty");
        }
        if (value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(
                    "channel name is " + value.length() + " characters, over Pusher's " + MAX_LENGTH);
        }
        if (!VALID.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    "channel name '" + value + "' has characters Pusher refuses (allowed: A-Z a-z 0-9 _ - = @ , . ;)");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
