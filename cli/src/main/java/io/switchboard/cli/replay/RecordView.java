package io.switchboard.cli.replay;

import io.switchboard.cli.kafka.AvroJson;
import io.switchboard.cli.kafka.RecordDecoder;
import io.switchboard.cli.kafka.TopicRecord;
import io.switchboard.router.routing.EventRouter;
import io.switchboard.router.routing.RoutingException;
import io.switchboard.schemas.ChannelPublish;
import io.switchboard.schemas.RealtimeEvent;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A record with the routing decision it would get today, from the router's own code, and how it is printed: one
 * line for people, one JSON object for scripts.
 */
final class RecordView {

    static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * Where the record goes: the rule and channels with the publish the router would write; or why it is refused (the
     * router would dead-letter it) or dropped (the progress guard: progress that went backwards). A record of
     * realtime.publish is already routed: its channels are its own.
     */
    record Decision(String rule, List<String> channels, ChannelPublish publish, String refused, String dropped) {

        /** {@code refused: REASON: text} or {@code dropped: REASON: text}; null when it is routed. */
        String notRouted() {
            return refused != null ? "refused: " + refused : dropped != null ? "dropped: " + dropped : null;
        }
    }

    private final EventRouter router;

    RecordView(EventRouter router) {
        this.router = router;
    }

    /**
     * The router's decision for this event as it stands today, with its progress guard: the router's guard over the
     * events decided before this one (the caller's, in partition and offset order), so that progress that goes
     * backwards within them is dropped as the router drops it. What the running router saw before them (its guard's
     * state lives in it, or in Redis) is not known here.
     */
    Decision decide(TopicRecord record) {
        if (record.value() instanceof ChannelPublish publish) {
            return new Decision("already routed", publish.getChannels(), publish, null, null);
        }
        try {
            EventRouter.Outcome outcome = router.route((RealtimeEvent) record.value());
            if (outcome instanceof EventRouter.Routed routed) {
                return new Decision(routed.rule(), routed.publish().getChannels(), routed.publish(), null, null);
            }
            EventRouter.Dropped dropped = (EventRouter.Dropped) outcome;
            return new Decision(dropped.rule(), List.of(), null, null, dropped.reason() + ": " + dropped.message());
        } catch (RoutingException e) {
            return new Decision(null, List.of(), null, e.reason() + ": " + e.getMessage(), null);
        }
    }

    /**
     * {@code TIME  TOPIC:P:O  TYPE  EVENT-ID  key=KEY  -> CHANNELS (rule R)}, or {@code refused: REASON: text}, or
     * {@code dropped: PROGRESS_REGRESSED: text}.
     */
    static String line(TopicRecord record, Decision decision) {
        String where = decision.notRouted() != null
                ? decision.notRouted()
                : "-> " + String.join(" ", decision.channels()) + " (" + rule(decision) + ")";
        return record.time() + "  " + record.coordinates() + "  " + record.type() + "  " + record.eventId() + "  key="
                + (record.key() == null ? "-" : record.key()) + "  " + where;
    }

    private static String rule(Decision decision) {
        return decision.rule().equals("already routed") ? "already routed" : "rule " + decision.rule();
    }

    /** The record decoded, its payload as JSON, its headers, and the decision. */
    static ObjectNode json(TopicRecord record, Decision decision) {
        ObjectNode node = JSON.createObjectNode();
        node.put("record", record.coordinates());
        node.put("topic", record.raw().topic());
        node.put("partition", record.raw().partition());
        node.put("offset", record.raw().offset());
        node.put("time", record.time().toString());
        node.put("key", record.key());
        node.put("value_type", record.value().getSchema().getName());
        node.put("schema_id", record.schemaId());
        ObjectNode value = (ObjectNode) AvroJson.toJson(record.value());
        String payloadField = record.isEvent() ? "payload" : "data";
        try {
            JsonNode payload = JSON.readTree(record.payload());
            if (payload != null && !payload.isMissingNode()) {
                value.set(payloadField, payload);
            }
        } catch (JacksonException e) {
            // left as the text it is: the decision says why it is refused
        }
        node.set("value", value);
        ObjectNode headers = node.putObject("headers");
        record.headers().forEach(headers::put);
        ObjectNode routing = node.putObject("routing");
        if (decision.refused() != null) {
            routing.put("rule", decision.rule());
            routing.put("refused", decision.refused());
        } else if (decision.dropped() != null) {
            routing.put("rule", decision.rule());
            routing.put("dropped", decision.dropped());
        } else {
            routing.put("rule", decision.rule());
            decision.channels().forEach(routing.putArray("channels")::add);
        }
        return node;
    }

    static void print(PrintWriter out, boolean json, TopicRecord record, Decision decision) {
        out.println(json ? JSON.writeValueAsString(json(record, decision)) : line(record, decision));
    }

    /**
     * A record that does not decode, as {@code dlq show} shows one: where it is, when, its key, why it does not decode,
     * and its bytes as base64 ({@code undecodable} and {@code value_base64} in JSON).
     */
    static void printUndecodable(PrintWriter out, boolean json, ConsumerRecord<byte[], byte[]> record, String reason) {
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        int size = record.value() == null ? 0 : record.value().length;
        String base64 = record.value() == null ? "" : Base64.getEncoder().encodeToString(record.value());
        if (json) {
            ObjectNode node = JSON.createObjectNode();
            node.put("record", RecordDecoder.where(record));
            node.put("topic", record.topic());
            node.put("partition", record.partition());
            node.put("offset", record.offset());
            node.put("time", Instant.ofEpochMilli(record.timestamp()).toString());
            node.put("key", key);
            node.put("undecodable", reason);
            node.put("value_base64", base64);
            out.println(JSON.writeValueAsString(node));
            return;
        }
        out.println(Instant.ofEpochMilli(record.timestamp()) + "  " + RecordDecoder.where(record) + "  key="
                + (key == null ? "-" : key) + "  " + size + " bytes, not decodable: " + reason + "  base64 " + base64);
    }
}
