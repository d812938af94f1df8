package io.switchboard.cli;

import io.switchboard.cli.dlq.DlqCommand;
import io.switchboard.cli.replay.ReplayCommand;
import io.switchboard.cli.replay.TailCommand;
import io.switchboard.cli.trace.TraceCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code switchboard}: the operators' command line. Run through {@code ./switchboard <command>}. */
@Command(
        name = "switchboard",
        mixinStandardHelpOptions = true,
        version = "switchboard 0.1.0",
        description = "Operator commands for Switchboard.",
        subcommands = {
            RouteCommand.class,
            DlqCommand.class,
            ReplayCommand.class,
            TailCommand.class,
            TraceCommand.class,
            CommandLine.HelpCommand.class
        })
public final class SwitchboardCommand implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new SwitchboardCommand()).execute(args));
    }
}
