package io.switchboard.relay.relay;

import io.switchboard.relay.outbox.Secrets;
import java.util.LinkedHashSet;
import java.util.Set;
import org.slf4j.Logger;

/**
 * Logs each distinct failure once with its stack trace, and its repeats as one line: a relay retrying an outage
 * every few seconds should not bury the first stack under copies. Forgets what it saw once the relay recovers.
 */
final class FailureLog {

    private static final int MAX_REMEMBERED = 100;

    private final Logger log;
    private final Set<String> seen = new LinkedHashSet<>();

    FailureLog(Logger log) {
        this.log = log;
    }

    void failed(Throwable error, long attempt, long backoffMillis) {
        String signature = signature(error);
        if (seen.size() < MAX_REMEMBERED && seen.add(signature)) {
            log.warn(
                    "outbox relay failed (attempt {}), retrying in {} ms: {}",
                    attempt,
                    backoffMillis,
                    Secrets.describe(root(error)),
                    Secrets.redacted(error));
        } else {
            log.warn(
                    "outbox relay still failing (attempt {}, logged above), retrying in {} ms: {}",
                    attempt,
                    backoffMillis,
                    Secrets.describe(root(error)));
        }
    }

    void recovered() {
        seen.clear();
    }

    /** The classes of the chain and the root's message without its numbers (which vary: ids, ms, counts). */
    static String signature(Throwable error) {
        StringBuilder s = new StringBuilder();
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            s.append(t.getClass().getName()).append('<');
        }
        String message = root(error).getMessage();
        return s.append(message == null ? "" : message.replaceAll("\\d+", "#")).toString();
    }

    static Throwable root(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }
}
