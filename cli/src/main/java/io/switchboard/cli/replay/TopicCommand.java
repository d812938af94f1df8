package io.switchboard.cli.replay;

import io.switchboard.cli.RoutingOptions;
import io.switchboard.cli.kafka.CliFailure;
import io.switchboard.cli.kafka.ConnectionOptions;
import io.switchboard.cli.kafka.OneLine;
import io.switchboard.cli.kafka.RecordDecoder;
import io.switchboard.cli.kafka.TopicReader;
import io.switchboard.cli.kafka.Topics;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What replay and tail share: the connection (as dlq's), the router's settings, the topic and partitions, the
 * filters, the output format, and one-line failures with an exit code.
 */
public abstract class TopicCommand implements Callable<Integer> {

    /** Nothing was selected: an empty range, or a filter that matched none of it. */
    static final int NOTHING_SELECTED = CliFailure.NOTHING_SELECTED;

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Mixin
    RoutingOptions routing;

    @Mixin
    RecordFilter filter;

    @Option(
            names = "--topic",
            paramLabel = "TOPIC",
            description = "any Switchboard topic: realtime.events (default), realtime.publish, or their .dlq topics")
    String topic = "realtime.events";

    @Option(
            names = "--partition",
            split = ",",
            paramLabel = "N",
            description = "only these partitions (repeatable; default: all)")
    List<Integer> partitions = new ArrayList<>();

    @Option(names = "--json", description = "JSON lines, one per record, for scripts (summaries go to stderr)")
    boolean json;

    Clock clock = Clock.systemUTC();

    @Override
    public final Integer call() {
        return OneLine.run(spec, connection, (out, err) -> {
            try {
                routing.check();
                return run(out, err);
            } catch (IllegalArgumentException e) {
                // settings the router refuses (a routes file, PUSHER_USE_PRIVATE_CHANNELS), a bad shadow prefix
                throw new CliFailure(Topics.oneLine(e), CliFailure.USAGE);
            }
        });
    }

    abstract int run(PrintWriter out, PrintWriter err);

    TopicReader reader() {
        return new TopicReader(connection);
    }

    RecordDecoder decoder() {
        return new RecordDecoder(connection.registry());
    }
}
