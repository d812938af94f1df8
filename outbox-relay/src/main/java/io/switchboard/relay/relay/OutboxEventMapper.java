package io.switchboard.relay.relay;

import io.switchboard.relay.outbox.OutboxRow;
import io.switchboard.schemas.RealtimeEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** An outbox row to a RealtimeEvent, or a {@link BadRowException} saying why it cannot be one. Pure. */
public final class OutboxEventMapper {

    /** Pusher's limit on event names. */
    static final int MAX_TYPE_LENGTH = 200;

    public static final String OUTBOX_ID_HEADER = "switchboard-outbox-id";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String defaultSource;
    private final int maxRecordBytes;

    /**
     * @param defaultSource the source for rows that name none
     * @param maxRecordBytes the largest record Kafka may carry: a payload over it can never fit, so it is refused
     *     before it is parsed (the sink measures the whole serialized record)
     */
    public OutboxEventMapper(String defaultSource, int maxRecordBytes) {
        this.defaultSource = defaultSource;
        this.maxRecordBytes = maxRecordBytes;
    }

    public RealtimeEvent toEvent(OutboxRow row) {
        if (row.type() == null || row.type().isBlank()) {
            throw new BadRowException(BadRowException.Reason.MISSING_TYPE, "outbox row " + row.id() + " has no type");
        }
        if (row.type().length() > MAX_TYPE_LENGTH) {
            throw new BadRowException(
                    BadRowException.Reason.TYPE_TOO_LONG,
                    "outbox row " + row.id() + " has a type of " + row.type().length() + " characters, over Pusher's "
                            + MAX_TYPE_LENGTH);
        }
        int bytes = row.payload() == null ? 0 : row.payload().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxRecordBytes) {
            throw new BadRowException(
                    BadRowException.Reason.ROW_TOO_LARGE,
                    "outbox row " + row.id() + " has a payload of " + bytes
                            + " bytes, over switchboard.outbox.max-record-bytes (" + maxRecordBytes + ")");
        }
        JsonNode payload = parse(row.payload());
        if (payload == null || !payload.isObject()) {
            throw new BadRowException(
                    BadRowException.Reason.PAYLOAD_NOT_OBJECT,
                    "outbox row " + row.id() + " has a payload that is not a JSON object");
        }
        Map<String, String> headers = headers(row);
        headers.put(OUTBOX_ID_HEADER, Long.toString(row.id()));
        if (row.traceparent() != null && !row.traceparent().isBlank()) {
            headers.put("traceparent", row.traceparent().strip()); // the column wins over a header of that name
        }
        return RealtimeEvent.newBuilder()
                .setEventId(row.eventId())
                .setType(row.type())
                .setOccurredAt(row.createdAt())
                .setSource(row.source() == null || row.source().isBlank() ? defaultSource : row.source())
                .setAggregateType(row.aggregateType())
                .setAggregateId(row.aggregateId())
                .setPayload(row.payload())
                .setChannels(channels(row))
                .setSocketId(row.socketId() == null || row.socketId().isBlank() ? null : row.socketId())
                .setHeaders(headers)
                .build();
    }

    private static List<String> channels(OutboxRow row) {
        JsonNode node = parse(row.channels());
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isArray()) {
            throw new BadRowException(
                    BadRowException.Reason.CHANNELS_NOT_STRING_ARRAY,
                    "outbox row " + row.id() + ": channels is not an array");
        }
        List<String> channels = new ArrayList<>();
        for (JsonNode channel : node) {
            if (!channel.isString()) {
                throw new BadRowException(
                        BadRowException.Reason.CHANNELS_NOT_STRING_ARRAY,
                        "outbox row " + row.id() + ": channels holds a non-string");
            }
            channels.add(channel.asString());
        }
        return channels.isEmpty() ? null : channels;
    }

    private static Map<String, String> headers(OutboxRow row) {
        Map<String, String> headers = new LinkedHashMap<>();
        JsonNode node = parse(row.headers());
        if (node == null || node.isNull()) {
            return headers;
        }
        if (!node.isObject()) {
            throw new BadRowException(
                    BadRowException.Reason.HEADERS_NOT_STRING_MAP,
                    "outbox row " + row.id() + ": headers is not an object");
        }
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            if (!entry.getValue().isString()) {
                throw new BadRowException(
                        BadRowException.Reason.HEADERS_NOT_STRING_MAP,
                        "outbox row " + row.id() + ": header '" + entry.getKey() + "' is not a string");
            }
            headers.put(entry.getKey(), entry.getValue().asString());
        }
        return headers;
    }

    private static JsonNode parse(String json) {
        if (json == null) {
            return null;
        }
        try {
            return JSON.readTree(json);
        } catch (JacksonException e) {
            return null; // the database's JSON type makes this unreachable on Postgres; callers treat null as absent
        }
    }
}
