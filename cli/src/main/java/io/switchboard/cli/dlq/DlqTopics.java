package io.switchboard.cli.dlq;

import picocli.CommandLine.Option;

/** The dead-letter topics' names, when the services were configured with other names than the defaults. */
final class DlqTopics {

    @Option(
            names = "--events-dlq",
            paramLabel = "TOPIC",
            description = "the router's and relay's dead-letter topic (default: realtime.events.dlq)")
    String eventsDlq = "realtime.events.dlq";

    @Option(
            names = "--publish-dlq",
            paramLabel = "TOPIC",
            description = "the publisher's dead-letter topic (default: realtime.publish.dlq)")
    String publishDlq = "realtime.publish.dlq";
}
