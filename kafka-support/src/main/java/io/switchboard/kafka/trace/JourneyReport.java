package io.switchboard.kafka.trace;

import io.switchboard.schemas.ChannelPublish;
import io.switchboard.schemas.DeliveryReceipt;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A journey in words, stage by stage, and the one sentence that answers "did it reach channel C, and if not, why?".
 * The text of {@code switchboard trace} and of the console's search.
 */
public final class JourneyReport {

    private JourneyReport() {}

    /**
     * The journey's lines: the event, its commit, each time it was relayed, then the router's and the publisher's
     * lines, each with its label ({@code event …}, {@code   committed   …}, {@code   router      …}); the answer is
     * {@link #answer}.
     */
    public static List<String> lines(Journey j) {
        List<String> lines = new ArrayList<>();
        lines.add("event " + j.eventId() + "  " + nullToDash(j.type()) + "  aggregate " + nullToDash(j.aggregate()));
        Instant committed = j.committedAt();
        String outboxRow = j.outboxId();
        if (committed != null) {
            lines.add("  committed   " + committed + (outboxRow == null ? "" : "  (outbox row " + outboxRow + ")"));
        }
        for (int i = 0; i < j.eventRecords().size(); i++) {
            lines.add("  relayed     " + at(j.eventRecords().get(i))
                    + (i == 0 ? "" : "  (again: a repeat or a replay of the same event)"));
        }
        for (String line : relayLines(j)) {
            lines.add("  relay       " + line);
        }
        for (String line : routerLines(j)) {
            lines.add("  router      " + line);
        }
        for (String line : publisherLines(j)) {
            lines.add("  publisher   " + line);
        }
        return lines;
    }

    /** Where and when a record was written: {@code realtime.events 0@12 at 2026-…}. */
    public static String at(ConsumerRecord<?, ?> record) {
        return record.topic() + " " + record.partition() + "@" + record.offset() + " at "
                + Instant.ofEpochMilli(record.timestamp());
    }

    /** What the relay did besides relaying: dead-lettered the outbox row (it never became an event on Kafka). */
    public static List<String> relayLines(Journey j) {
        List<String> lines = new ArrayList<>();
        for (Journey.DeadLetter d : j.deadLetters()) {
            if (d.relay()) {
                lines.add("dead-lettered outbox row " + nullToDash(d.outboxId()) + ": " + d.reason() + " "
                        + nullToDash(d.text()) + "  (" + at(d.record()) + ")");
            }
        }
        return lines;
    }

    /** What the router did: routed (by which rule, where, truncated or not), dead-lettered, dropped by policy. */
    public static List<String> routerLines(Journey j) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < j.publishes().size(); i++) {
            ChannelPublish p = j.publishes().get(i);
            String rule = p.getHeaders().get("switchboard-rule");
            lines.add("routed" + (rule == null ? "" : " by rule '" + rule + "'") + " to "
                    + String.join(", ", p.getChannels()) + (p.getTruncated() ? " (payload truncated)" : "") + "  ("
                    + at(j.publishRecords().get(i)) + ")");
        }
        for (Journey.DeadLetter d : j.deadLetters()) {
            if (!"publisher".equals(d.stage()) && !d.relay()) {
                lines.add("dead-lettered by the " + nullToDash(d.stage()) + ": " + d.reason() + " "
                        + nullToDash(d.text()) + "  (" + at(d.record()) + ")");
            }
        }
        for (DeliveryReceipt r : j.receipts("DROPPED")) {
            lines.add("dropped by policy: " + r.getReason() + " " + nullToDash(r.getDetail()) + " at "
                    + r.getSettledAt());
        }
        return lines;
    }

    /** What the publisher did: Pusher's acceptance with its latency, a duplicate skip, a dead letter. */
    public static List<String> publisherLines(Journey j) {
        List<String> lines = new ArrayList<>();
        for (DeliveryReceipt r : j.receipts()) {
            switch (r.getOutcome()) {
                case "PUBLISHED" ->
                    lines.add("Pusher accepted it on " + String.join(", ", r.getChannels()) + " at "
                            + r.getSettledAt() + Journey.after(r.getCommittedAt(), r.getSettledAt()) + ", "
                            + r.getAttempts() + " attempt(s), HTTP " + nullToDash(r.getHttpStatus()));
                case "SKIPPED_DUPLICATE" ->
                    lines.add("skipped as a duplicate on " + String.join(", ", r.getChannels())
                            + " at " + r.getSettledAt() + " (already delivered there; record " + r.getSourceTopic()
                            + " "
                            + r.getSourcePartition() + "@" + r.getSourceOffset() + ")");
                case "DEAD_LETTERED" -> {
                    if ("publisher".equals(r.getStage())) {
                        lines.add("dead-lettered: " + r.getReason() + ", HTTP " + nullToDash(r.getHttpStatus()) + ", "
                                + r.getAttempts() + " attempt(s): " + nullToDash(r.getDetail()));
                    }
                }
                default -> {}
            }
        }
        if (j.receipts("DEAD_LETTERED").stream().noneMatch(r -> "publisher".equals(r.getStage()))) {
            for (Journey.DeadLetter d : j.deadLetters()) {
                if ("publisher".equals(d.stage())) {
                    lines.add("dead-lettered: " + d.reason() + ", HTTP " + nullToDash(d.httpStatus()) + ": "
                            + nullToDash(d.pusherMessage() != null ? d.pusherMessage() : d.text()) + "  ("
                            + at(d.record()) + ")");
                }
            }
        }
        return lines;
    }

    /**
     * One sentence a support engineer can paste into the ticket.
     *
     * @param channel the channel the question is about, or null
     * @param ledger whether the ledger exists (without it the publisher's outcomes are unknown)
     */
    public static String answer(Journey j, String channel, boolean ledger) {
        Set<String> accepted = j.accepted();
        List<DeliveryReceipt> dropped = j.receipts("DROPPED");
        Journey.DeadLetter relayDead = j.relayDeadLetter();
        Journey.DeadLetter routerDead = j.deadLetters().stream()
                .filter(d -> !"publisher".equals(d.stage()) && !d.relay())
                .findFirst()
                .orElse(null);
        String publisherDead = j.receipts("DEAD_LETTERED").stream()
                .filter(r -> "publisher".equals(r.getStage()))
                .map(r -> r.getReason() + " (" + nullToDash(r.getDetail()) + ")")
                .findFirst()
                .orElse(j.deadLetters().stream()
                        .filter(d -> "publisher".equals(d.stage()))
                        .map(d -> d.reason() + " (" + nullToDash(d.text()) + ")")
                        .findFirst()
                        .orElse(null));
        if (channel != null && !accepted.isEmpty() && accepted.contains(channel)) {
            return acceptedAnswer(j, Set.of(channel));
        }
        if (channel != null && !j.routedTo().isEmpty() && !j.routedTo().contains(channel)) {
            return "It was never meant for " + channel + ": the router sent it to " + String.join(", ", j.routedTo())
                    + ".";
        }
        if (channel == null && !accepted.isEmpty()) {
            return acceptedAnswer(j, accepted) + deadLettersBefore(j, accepted);
        }
        if (relayDead != null && j.eventRecords().isEmpty()) {
            return "Not published: the relay dead-lettered outbox row " + nullToDash(relayDead.outboxId()) + " as "
                    + relayDead.reason() + " (" + nullToDash(relayDead.text()) + "). That dead letter is the row"
                    + " itself, not a Kafka record, so dlq redrive skips it: fix the row (switchboard dlq show "
                    + relayDead.coordinates() + " shows it) and insert it into the outbox again.";
        }
        if (routerDead != null) {
            return "Not published: the " + nullToDash(routerDead.stage()) + " dead-lettered it as "
                    + routerDead.reason()
                    + " (" + nullToDash(routerDead.text()) + "). Fix the cause, then: switchboard dlq redrive"
                    + " --event-id " + j.eventId() + ".";
        }
        if (!dropped.isEmpty()) {
            return "Not published, on purpose: " + dropped.get(0).getReason() + " ("
                    + nullToDash(dropped.get(0).getDetail())
                    + "); a later event of the same run carried newer progress.";
        }
        if (publisherDead != null) {
            return "Not delivered: the publisher dead-lettered it as " + publisherDead + ".";
        }
        List<DeliveryReceipt> skipped = j.receipts("SKIPPED_DUPLICATE");
        if (!skipped.isEmpty()) {
            return "Skipped as a duplicate: it had already been delivered to "
                    + String.join(", ", skipped.get(0).getChannels())
                    + " (an earlier copy's receipt may be older than the window).";
        }
        if (!j.publishes().isEmpty()) {
            return ledger
                    ? "Routed, but no outcome from the publisher in the window: still in flight (the publisher is"
                            + " behind, down, or holding it while Pusher fails: its health shows"
                            + " pusher.details.circuitBreaker), or its receipt was lost"
                            + " (switchboard_ledger_receipts_total{result!=\"written\"})."
                    : "Routed; no ledger in the window to say what the publisher did (SWITCHBOARD_LEDGER_ENABLED?).";
        }
        return "Relayed, but the router has not decided yet: it is behind or down (check its consumer lag).";
    }

    /**
     * What an accepted event's dead letters were: redriven when the dead letter came before the acceptance and was
     * about channels it reached, else still dead for the channels it did not reach.
     */
    private static String deadLettersBefore(Journey j, Set<String> accepted) {
        Instant lastAccepted = j.receipts("PUBLISHED").stream()
                .map(DeliveryReceipt::getSettledAt)
                .max(Instant::compareTo)
                .orElseThrow();
        StringBuilder notes = new StringBuilder();
        for (DeliveryReceipt dead : j.receipts("DEAD_LETTERED")) {
            List<String> missed = dead.getChannels().stream()
                    .filter(c -> !accepted.contains(c))
                    .toList();
            if (!missed.isEmpty()) {
                notes.append(" It is still dead-lettered for ")
                        .append(String.join(", ", missed))
                        .append(" (")
                        .append(dead.getReason())
                        .append(").");
            } else if (dead.getSettledAt().isBefore(lastAccepted)) {
                notes.append(" It was dead-lettered by the ")
                        .append(dead.getStage())
                        .append(" first (")
                        .append(dead.getReason())
                        .append(") and redriven.");
            }
        }
        return notes.toString();
    }

    private static String acceptedAnswer(Journey j, Set<String> channels) {
        Instant when = j.receipts("PUBLISHED").stream()
                .filter(r -> r.getChannels().stream().anyMatch(channels::contains))
                .map(DeliveryReceipt::getSettledAt)
                .findFirst()
                .orElse(null);
        return "Pusher accepted it on " + String.join(", ", channels) + " at " + when + ". Pusher keeps nothing for"
                + " clients that were not connected then: a browser that was not subscribed to "
                + (channels.size() == 1 ? "that channel" : "those channels") + " at that moment did not get it.";
    }

    /** {@code -} for what is unknown. */
    public static String nullToDash(Object value) {
        return value == null ? "-" : value.toString();
    }
}
