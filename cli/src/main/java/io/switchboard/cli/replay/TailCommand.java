package io.switchboard.cli.replay;

import io.switchboard.cli.kafka.CliFailure;
import io.switchboard.cli.kafka.Durations;
import io.switchboard.cli.kafka.RecordDecoder;
import io.switchboard.cli.kafka.TopicReader;
import io.switchboard.cli.kafka.TopicRecord;
import io.switchboard.router.guard.ProgressGuard;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code switchboard tail}: follows a topic live, decoded, with the routing decision of each event. */
@Command(
        name = "tail",
        mixinStandardHelpOptions = true,
        description = {
            "Follows a topic (realtime.events by default) from its end, or from --since, and prints each record"
                    + " decoded with the routing decision it would get today, with the same filters as replay, until"
                    + " Ctrl-C, --max records or --for a duration. Uses no consumer group: the services' offsets are"
                    + " never touched.",
            "A record that does not decode (an unknown schema id, bytes that are not Avro) is shown as dlq show shows"
                    + " it, its size, the reason and its bytes as base64 (undecodable and value_base64 with --json),"
                    + " whatever the filters, and the tail goes on; it does not count for --max.",
            "Exit codes: 0 done, 1 Kafka or a topic failed, 2 usage, 3 --for ended with no record shown."
        })
public final class TailCommand extends TopicCommand {

    @Option(
            names = "--since",
            paramLabel = "DURATION",
            converter = Durations.Converter.class,
            description = "start DURATION ago (90s, 15m, 2h) instead of at the end")
    Duration since;

    @Option(names = "--max", paramLabel = "N", description = "stop after N records shown")
    Integer max;

    @Option(
            names = "--for",
            paramLabel = "DURATION",
            converter = Durations.Converter.class,
            description = "stop after DURATION (30s, 5m)")
    Duration duration;

    /** Stops the read on Ctrl-C; tests stop it the same way. */
    final TopicReader.Following following = new TopicReader.Following();

    @Override
    int run(PrintWriter out, PrintWriter err) {
        if (max != null && max <= 0) {
            throw new CliFailure("--max must be 1 or more", CliFailure.USAGE);
        }
        TopicReader reader = reader();
        List<TopicPartition> tps = reader.partitions(topic, partitions);
        Predicate<TopicRecord> matches = filter.compile();
        RecordDecoder decoder = decoder();
        RecordView view = new RecordView(routing.router(ProgressGuard.inMemory(1_000)));
        Instant start = since == null ? null : clock.instant().minus(since);
        AtomicInteger shown = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            following.stop();
            try {
                done.await(3, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            reader.follow(
                    tps,
                    start,
                    duration,
                    following,
                    () -> {
                        err.println("following " + topic + " (" + tps.size() + " partition"
                                + (tps.size() == 1 ? "" : "s") + ") from "
                                + (start == null ? "its end" : start.toString()) + "; Ctrl-C stops");
                        err.flush();
                    },
                    raw -> {
                        // a live tail does not die on one bad record: it shows it, as dlq show does, and goes on
                        TopicRecord record = decoder.decode(raw, (bad, reason) -> {
                            RecordView.printUndecodable(out, json, bad, reason);
                            out.flush();
                        });
                        if (record != null && matches.test(record)) {
                            RecordView.print(out, json, record, view.decide(record));
                            out.flush();
                            int n = shown.incrementAndGet();
                            return max == null || n < max;
                        }
                        return true;
                    });
        } finally {
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down (Ctrl-C): the hook is running
            }
        }
        if (shown.get() == 0 && duration != null) {
            throw new CliFailure(
                    "no record of " + topic + (filter.isEmpty() ? "" : " matching " + filter.describe()) + " within "
                            + Durations.text(duration),
                    NOTHING_SELECTED);
        }
        return 0;
    }
}
