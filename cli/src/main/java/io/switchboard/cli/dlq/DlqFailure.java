package io.switchboard.cli.dlq;

/** A failure the operator can act on, told in one line (no stack trace), with the command's exit code. */
final class DlqFailure extends RuntimeException {

    /** Kafka could not be reached, a topic or an offset does not exist, a send failed. */
    static final int FAILED = 1;
    /** The arguments do not make sense together (picocli's own usage errors exit 2 too). */
    static final int USAGE = 2;

    private final int exit;

    DlqFailure(String message) {
        this(message, FAILED);
    }

    DlqFailure(String message, int exit) {
        super(message, null, false, false);
        this.exit = exit;
    }

    int exit() {
        return exit;
    }
}
