package io.switchboard.publisher.publish;

/**
 * What Pusher (or a Pusher-protocol server) made of one request, classified by us rather than by the client library
 * (which treats 413 as retryable and Soketi's "200 with an error body" as a success).
 *
 * @param kind delivered, permanently refused, or failed for now
 * @param httpStatus the HTTP status, or null when no answer came (network error, timeout)
 * @param message Pusher's message, or the error's; never credentials
 */
public record PublishOutcome(Kind kind, Integer httpStatus, String message) {

    public enum Kind {
        DELIVERED,
        /** 400, 401, 403, 404, 413 and the like: retrying will not help. */
        PERMANENT,
        /** 408, 429, 5xx, timeouts and connection errors: retry with backoff. */
        TRANSIENT
    }

    public static PublishOutcome delivered(int status) {
        return new PublishOutcome(Kind.DELIVERED, status, "");
    }

    /** Classifies an HTTP answer. A 2xx whose JSON body carries an "error" is a failure (Soketi answers that way). */
    public static PublishOutcome fromHttp(int status, String body) {
        if (status >= 200 && status < 300) {
            ErrorBody error = ErrorBody.parse(body);
            if (error == null) {
                return delivered(status);
            }
            int effective = error.code() > 0 ? error.code() : 400;
            return new PublishOutcome(
                    isTransient(effective) ? Kind.TRANSIENT : Kind.PERMANENT, effective, error.message());
        }
        return new PublishOutcome(isTransient(status) ? Kind.TRANSIENT : Kind.PERMANENT, status, abbreviate(body));
    }

    public static PublishOutcome networkError(Throwable error) {
        return new PublishOutcome(Kind.TRANSIENT, null, error.getClass().getSimpleName() + ": " + error.getMessage());
    }

    static boolean isTransient(int status) {
        return status == 408 || status == 429 || status >= 500;
    }

    public boolean delivered() {
        return kind == Kind.DELIVERED;
    }

    /**
     * Pusher (or Soketi, in an error body) said 429: it limits the app as a whole, so this says nothing about the
     * events. It slows delivery down and never dead-letters them; it does not count against the circuit breaker.
     */
    public boolean rateLimited() {
        return kind == Kind.TRANSIENT && httpStatus != null && httpStatus == 429;
    }

    static String abbreviate(String text) {
        if (text == null) {
            return "";
        }
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }
}
