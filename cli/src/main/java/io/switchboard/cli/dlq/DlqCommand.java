package io.switchboard.cli.dlq;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code switchboard dlq}: the dead letters of the three stages (docs/dead-letters.md), listed, shown and redriven.
 * See docs/runbook-dlq.md.
 */
@Command(
        name = "dlq",
        description = {
            "Dead letters of the relay and the router (realtime.events.dlq) and of the publisher"
                    + " (realtime.publish.dlq): list them by reason and time, show one decoded, redrive a selection"
                    + " to its original topic.",
            "Connection: KAFKA_BOOTSTRAP_SERVERS (default 127.0.0.1:9092), SCHEMA_REGISTRY_URL,"
                    + " --command-config for SASL/TLS. Exit codes: 0 done, 1 Kafka, a topic or an offset failed, 2 usage,"
                    + " 3 nothing selected (no dead letter in the window matches: list and redrive)."
        },
        mixinStandardHelpOptions = true,
        subcommands = {DlqListCommand.class, DlqShowCommand.class, DlqRedriveCommand.class})
public final class DlqCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand: list, show or redrive");
    }
}
