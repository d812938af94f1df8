package io.switchboard.cli.kafka;

/** A failure of any command that talks to Kafka, which the operator can act on, told in one line (no stack trace), with the command's exit code. */
public final class CliFailure extends RuntimeException {

    /** Kafka could not be reached, a topic or an offset does not exist, a send failed. */
    public static final int FAILED = 1;
    /** The arguments do not make sense together (picocli's own usage errors exit 2 too). */
    public static final int USAGE = 2;
    /** Nothing was selected: the range or window holds no records, or the filters match none of them. */
    public static final int NOTHING_SELECTED = 3;

    private final int exit;

    public CliFailure(String message) {
        this(message, FAILED);
    }

    public CliFailure(String message, int exit) {
        super(message, null, false, false);
        this.exit = exit;
    }

    public int exit() {
        return exit;
    }
}
