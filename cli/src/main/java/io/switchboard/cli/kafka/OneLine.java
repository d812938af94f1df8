package io.switchboard.cli.kafka;

import java.io.PrintWriter;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Model.CommandSpec;

/**
 * How every command that talks to Kafka ends: with its exit code, or with one line on standard error and a non-zero
 * exit, never a stack trace. The settings are checked before the command runs; every line is told without the
 * secrets the settings hold ({@link ConnectionOptions#redact}).
 */
public final class OneLine {

    /** A command's work: its exit code, or a {@link CliFailure}. */
    @FunctionalInterface
    public interface Body {
        int run(PrintWriter out, PrintWriter err);
    }

    private OneLine() {}

    /**
     * Runs {@code body}: a {@link CliFailure} is its line and exit code; a Kafka client failure that nothing closer
     * told is told as {@link Topics#failure} tells it (exit 1); anything else unexpected is its class and message
     * (exit 1).
     */
    public static int run(CommandSpec spec, ConnectionOptions connection, Body body) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String command = spec.qualifiedName();
        try {
            connection.check();
            int exit = body.run(out, err);
            out.flush();
            err.flush();
            return exit;
        } catch (CliFailure e) {
            return fail(out, err, command, connection.redact(e.getMessage()), e.exit());
        } catch (KafkaException e) {
            return fail(
                    out,
                    err,
                    command,
                    connection.redact(new Topics(connection).failure(e).getMessage()),
                    CliFailure.FAILED);
        } catch (RuntimeException e) {
            return fail(
                    out,
                    err,
                    command,
                    connection.redact("unexpected " + e.getClass().getSimpleName() + ": " + Topics.oneLine(e)),
                    CliFailure.FAILED);
        }
    }

    private static int fail(PrintWriter out, PrintWriter err, String command, String message, int exit) {
        out.flush();
        err.println(command + ": " + message.replaceAll("\\s*\\R\\s*", " "));
        err.flush();
        return exit;
    }
}
