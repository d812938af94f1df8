package io.switchboard.cli.dlq;

import io.switchboard.cli.kafka.ConnectionOptions;
import io.switchboard.cli.kafka.OneLine;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What the dlq subcommands share: the connection options, the clock, and one-line failures with an exit code ({@link OneLine}). */
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
        return OneLine.run(spec, connection, (out, err) -> run(out));
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
