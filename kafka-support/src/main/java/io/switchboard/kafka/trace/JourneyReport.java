package io.switchboard.kafka.trace;

import io.switchboard.kafka.ReplayHeaders;
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
     * The journey's lines: the event, its commit, each time it was relayed, what replays did with it, then the
     * router's and the publisher's lines, each with its label ({@code event …}, {@code   committed   …},
     * {@code   router      …}); the answer is {@link #answer}.
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
            ConsumerRecord<byte[], byte[]> record = j.eventRecords().get(i);
            String replay = RecordValues.header(record, ReplayHeaders.ID);
            lines.add("  relayed     " + at(record)
                    + (replay != null
                            ? "  (re-sent by replay " + replay + " from "
                                    + nullToDash(RecordValues.header(record, ReplayHeaders.FROM)) + ")"
                            : i == 0 ? "" : "  (again: a repeat or a replay of the same event)"));
        }
        for (String line : relayLines(j)) {
            lines.add("  relay       " + line);
        }
        for (String line : replayLines(j)) {
            lines.add("  replay      " + line);
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

    /**
     * What {@code switchboard replay} did with it: a copy with a new id ({@code --redeliver}), either way; a
     * publish to shadow channels ({@code --shadow-prefix}), which the router did not write and no user receives.
     */
    public static List<String> replayLines(Journey j) {
        List<String> lines = new ArrayList<>();
        if (j.replayOf() != null) {
            lines.add("a copy of event " + j.replayOf() + " sent again with a new id by replay "
                    + nullToDash(j.replayId()) + " (--redeliver)");
        }
        for (Journey copy : j.redeliveries()) {
            lines.add("redelivered as event " + copy.eventId() + " by replay " + nullToDash(copy.replayId())
                    + " (--redeliver): its journey is told on its own");
        }
        for (int i = 0; i < j.publishes().size(); i++) {
            ChannelPublish p = j.publishes().get(i);
            if (Journey.shadow(p)) {
                lines.add("shadow replay " + nullToDash(p.getHeaders().get(ReplayHeaders.ID)) + " (prefix "
                        + p.getHeaders().get(ReplayHeaders.SHADOW) + ") to " + String.join(", ", p.getChannels())
                        + ", not the users' channels  (" + at(j.publishRecords().get(i)) + ")");
            }
        }
        return lines;
    }

    /** What the router did: routed (by which rule, where, truncated or not), dead-lettered, dropped by policy. */
    public static List<String> routerLines(Journey j) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < j.publishes().size(); i++) {
            ChannelPublish p = j.publishes().get(i);
            if (Journey.shadow(p)) {
                continue; // written by replay --shadow-prefix, not by the router: see replayLines
            }
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

    /**
     * What the publisher did: Pusher's acceptance with its latency, a duplicate skip, a dead letter; those about a
     * shadow replay's publish start with {@code shadow replay}.
     */
    public static List<String> publisherLines(Journey j) {
        List<String> lines = new ArrayList<>();
        for (DeliveryReceipt r : j.receipts()) {
            String shadow = j.shadow(r) ? "shadow replay " : "";
            switch (r.getOutcome()) {
                case "PUBLISHED" ->
                    lines.add((shadow.isEmpty() ? "Pusher accepted it on " : "shadow replay delivered to ")
                            + String.join(", ", r.getChannels()) + " at " + r.getSettledAt()
                            + Journey.after(r.getCommittedAt(), r.getSettledAt()) + ", " + r.getAttempts()
                            + " attempt(s), HTTP " + nullToDash(r.getHttpStatus()));
                case "SKIPPED_DUPLICATE" ->
                    lines.add(shadow + "skipped as a duplicate on " + String.join(", ", r.getChannels())
                            + " at " + r.getSettledAt() + " (already delivered there; record " + r.getSourceTopic()
                            + " "
                            + r.getSourcePartition() + "@" + r.getSourceOffset() + ")");
                case "DEAD_LETTERED" -> {
                    if ("publisher".equals(r.getStage())) {
                        lines.add(shadow + "dead-lettered: " + r.getReason() + ", HTTP "
                                + nullToDash(r.getHttpStatus()) + ", " + r.getAttempts() + " attempt(s): "
                                + nullToDash(r.getDetail()));
                    }
                }
                default -> {}
            }
        }
        if (j.receipts().stream()
                .noneMatch(r -> "DEAD_LETTERED".equals(r.getOutcome()) && "publisher".equals(r.getStage()))) {
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
     * One sentence a support engineer can paste into the ticket, about the users' channels: a shadow replay's
     * deliveries are told apart ({@code A shadow replay delivered it to ...}), never counted as the users'.
     *
     * @param channel the channel the question is about, or null
     * @param ledger whether the ledger exists (without it the publisher's outcomes are unknown)
     */
    public static String answer(Journey j, String channel, boolean ledger) {
        Set<String> shadowAccepted = j.shadowAccepted();
        if (channel != null && shadowAccepted.contains(channel)) {
            return shadowAnswer(j, Set.of(channel)).strip() + redeliveries(j);
        }
        return usersAnswer(j, channel, ledger)
                + (channel == null && !shadowAccepted.isEmpty() ? shadowAnswer(j, shadowAccepted) : "")
                + redeliveries(j);
    }

    private static String usersAnswer(Journey j, String channel, boolean ledger) {
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
        if (channel != null && accepted.contains(channel)) {
            return acceptedAnswer(j, Set.of(channel));
        }
        if (channel != null && !j.routedTo().isEmpty() && !j.routedTo().contains(channel)) {
            return "It was never meant for " + channel + ": the router sent it to " + String.join(", ", j.routedTo())
                    + ".";
        }
        if (channel != null && !accepted.isEmpty()) {
            // accepted elsewhere, and the router's publish is not in the window: whether C was meant is unknown
            return "Pusher accepted it on " + String.join(", ", accepted) + ", not on " + channel + ". The router's"
                    + " record of it is outside the window, so whether it was meant for " + channel + " is not known"
                    + " here: widen --from/--to (or --since) to see the channels the router chose.";
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
        if (!j.routerPublishes().isEmpty()) {
            return ledger
                    ? "Routed, but no outcome from the publisher in the window: still in flight (the publisher is"
                            + " behind, down, or holding it while Pusher fails: its health shows"
                            + " pusher.details.circuitBreaker), or its receipt was lost"
                            + " (switchboard_ledger_receipts_total{result!=\"written\"})."
                    : "Routed; no ledger in the window to say what the publisher did (SWITCHBOARD_LEDGER_ENABLED?).";
        }
        if (j.eventRecords().isEmpty()) {
            // only a replay's publish (a shadow) or receipts whose routing is outside the window
            return "Nothing in the window says what the router did with it: widen --from/--to (or --since).";
        }
        return "Relayed, but the router has not decided yet: it is behind or down (check its consumer lag).";
    }

    /** {@code  A shadow replay delivered it to C at T (replay R): not a user's channel.} */
    private static String shadowAnswer(Journey j, Set<String> channels) {
        Instant when = j.shadowReceipts("PUBLISHED").stream()
                .filter(r -> r.getChannels().stream().anyMatch(channels::contains))
                .map(DeliveryReceipt::getSettledAt)
                .findFirst()
                .orElse(null);
        return " A shadow replay delivered it to " + String.join(", ", channels) + " at " + when
                + " (switchboard replay --shadow-prefix): "
                + (channels.size() == 1 ? "not a user's channel." : "not the users' channels.");
    }

    private static String redeliveries(Journey j) {
        if (j.redeliveries().isEmpty()) {
            return "";
        }
        return " A replay redelivered it as "
                + String.join(
                        ", ", j.redeliveries().stream().map(Journey::eventId).toList())
                + " (--redeliver): see " + (j.redeliveries().size() == 1 ? "that journey." : "those journeys.");
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
