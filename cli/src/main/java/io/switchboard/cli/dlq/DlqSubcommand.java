package io.switchboard.cli.dlq;

import io.switchboard.cli.kafka.CliFailure;
import io.switchboard.cli.kafka.ConnectionOptions;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What the dlq subcommands share: the connection options, the clock, and one-line failures with an exit code. */
abstract class DlqSubcommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Mixin
    DlqTopics dlqTopics;

    Clock clock = Clock.systemUTC();

    @Override
    public final Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            int exit = run(out);
            out.flush();
            return exit;
        } catch (CliFailure e) {
            out.flush();
            err.println("switchboard dlq " + spec.name() + ": " + e.getMessage());
            err.flush();
            return e.exit();
        }
    }

    abstract int run(PrintWriter out);

    /** Reads with the connection options; a long read's progress lines go to standard error. */
    DeadLetterScan scan() {
        PrintWriter err = spec.commandLine().getErr();
        return new DeadLetterScan(connection, line -> {
            err.println(line);
            err.flush();
        });
    }
}
