package io.switchboard.cli.dlq;

import io.switchboard.cli.kafka.Table;
import io.switchboard.cli.kafka.TimeWindow;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.node.ObjectNode;

/** {@code switchboard dlq list}: counts by stage and reason, then one line per dead letter. */
@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = {
            "Counts the dead letters by stage and reason, then prints one line per dead letter: when it was written,"
                    + " stage, reason, event id, where it came from (original topic:partition:offset, or the outbox"
                    + " row), and its own coordinates for `dlq show`.",
            "With --json, one JSON object per dead letter and nothing else. An empty selection prints nothing on"
                    + " standard output, \"no dead letters in ...\" on standard error, and exits 3."
        })
final class DlqListCommand extends DlqSubcommand {

    @Mixin
    Selection selection;

    @Option(names = "--json", description = "JSON lines, one per dead letter, for scripts")
    boolean json;

    @Override
    int run(PrintWriter out) {
        TimeWindow.Window window = selection.window(clock);
        DeadLetterScan.Found found =
                scan().read(selection.topicNames(dlqTopics), window.from(), window.to(), selection.filter());
        List<DeadLetter> letters = found.letters();
        if (letters.isEmpty()) {
            throw selection.nothing(dlqTopics, window, found.inWindow(), "");
        }
        if (json) {
            letters.forEach(letter -> out.println(ValueDecoder.JSON.writeValueAsString(summary(letter))));
            return 0;
        }
        out.println(letters.size() + " dead letter" + (letters.size() == 1 ? "" : "s") + " in "
                + selection.describe(dlqTopics, window));
        out.println();
        Map<String, Integer> counts = new TreeMap<>();
        letters.forEach(
                letter -> counts.merge(orDash(letter.stage()) + "\t" + orDash(letter.reason()), 1, Integer::sum));
        Table byReason = new Table("STAGE", "REASON", "COUNT").numeric(2);
        counts.forEach((stageAndReason, count) -> {
            String[] parts = stageAndReason.split("\t", 2);
            byReason.row(parts[0], parts[1], count);
        });
        byReason.print(out);
        out.println();
        Table lines = new Table("TIME", "STAGE", "REASON", "EVENT ID", "FROM", "DEAD LETTER", "REDRIVEN");
        for (DeadLetter letter : letters) {
            lines.row(
                    letter.time(),
                    letter.stage(),
                    letter.reason(),
                    letter.eventId(),
                    letter.origin(),
                    letter.coordinates(),
                    letter.redrives() == 0 ? "" : letter.redrives() + "x");
        }
        lines.print(out);
        return 0;
    }

    static ObjectNode summary(DeadLetter letter) {
        ObjectNode node = ValueDecoder.JSON.createObjectNode();
        node.put("dead_letter", letter.coordinates());
        node.put("topic", letter.topic());
        node.put("partition", letter.partition());
        node.put("offset", letter.offset());
        node.put("time", letter.time().toString());
        node.put("stage", letter.stage());
        node.put("reason", letter.reason());
        node.put("reason_text", letter.reasonText());
        node.put("event_id", letter.eventId());
        node.put("original_topic", letter.originalTopic());
        node.put("original_partition", letter.originalPartition());
        node.put("original_offset", letter.originalOffset());
        node.put("outbox_id", letter.text(io.switchboard.kafka.DeadLetterHeaders.OUTBOX_ID));
        node.put("outbox_table", letter.text(io.switchboard.kafka.DeadLetterHeaders.OUTBOX_TABLE));
        node.put("redrives", letter.redrives());
        return node;
    }

    private static String orDash(String value) {
        return value == null ? "-" : value;
    }
}
