package io.switchboard.relay.outbox;

import java.util.regex.Pattern;

/**
 * Keeps secrets out of logs, health details and error messages: JDBC drivers may echo the URL, and a URL may carry
 * a password ({@code ?password=...}, {@code user:password@host}).
 */
public final class Secrets {

    private static final Pattern KEY_VALUE = Pattern.compile(
            "(?i)((?:password|passwd|pwd|secret|token|sslpassword|sslkey)\\s*[=:]\\s*)[^&;,\\s)\\]}'\"]+");
    private static final Pattern USER_INFO = Pattern.compile("(//[^/@\\s:]+:)[^@/\\s]+@");

    private Secrets() {}

    /** The text with every password-like value replaced by {@code ***}. */
    public static String redact(String text) {
        if (text == null) {
            return null;
        }
        return USER_INFO.matcher(KEY_VALUE.matcher(text).replaceAll("$1***")).replaceAll("$1***@");
    }

    /** {@code SimpleClassName: message}, redacted. */
    public static String describe(Throwable error) {
        return error.getClass().getSimpleName() + ": " + redact(error.getMessage());
    }

    /**
     * A copy of the error's chain, with each message redacted and each stack trace kept, for logging with its stack
     * trace.
     */
    public static Throwable redacted(Throwable error) {
        return error == null ? null : new Redacted(error, 0);
    }

    /** A stand-in for a logged error: its class and redacted message, its stack, its (redacted) causes. */
    static final class Redacted extends RuntimeException {
        Redacted(Throwable original, int depth) {
            super(
                    original.getClass().getName() + ": " + redact(original.getMessage()),
                    original.getCause() == null || original.getCause() == original || depth > 20
                            ? null
                            : new Redacted(original.getCause(), depth + 1),
                    false,
                    true);
            setStackTrace(original.getStackTrace());
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }
}
