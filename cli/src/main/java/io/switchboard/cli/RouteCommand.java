package io.switchboard.cli;

import io.switchboard.cli.kafka.CliFailure;
import io.switchboard.router.guard.ProgressGuard;
import io.switchboard.router.routing.EventRouter;
import io.switchboard.router.routing.RoutingException;
import io.switchboard.schemas.RealtimeEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code switchboard route}: reads events as JSON lines and prints, per event, what the router would publish
 * (contracts section 8), with the router's own code: rules, channel checks, progress guard and truncation.
 */
@Command(
        name = "route",
        description = {
            "Where would these events go? Reads JSON lines (fields of RealtimeEvent; payload may be an object or its"
                    + " text) from the files given or standard input, and prints one JSON line per event: event_id,"
                    + " type, rule, channels, data, bytes, truncated, original_bytes, or dropped with the reason.",
            "Needs no Kafka."
        },
        mixinStandardHelpOptions = true)
final class RouteCommand implements Callable<Integer> {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Mixin
    RoutingOptions routing;

    @Parameters(description = "files of JSON lines (default: standard input)")
    List<Path> files = new ArrayList<>();

    Reader stdin = new InputStreamReader(System.in, StandardCharsets.UTF_8);
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);

    @Override
    public Integer call() {
        try {
            EventRouter router = routing.router(ProgressGuard.inMemory(100_000));
            if (files.isEmpty()) {
                route(router, new BufferedReader(stdin));
            } else {
                for (Path file : files) {
                    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                        route(router, in);
                    } catch (IOException e) {
                        return fail(
                                "cannot read " + file + ": "
                                        + (e instanceof NoSuchFileException ? "no such file" : e.getMessage()),
                                CliFailure.USAGE);
                    }
                }
            }
            out.flush();
            return 0;
        } catch (IllegalArgumentException e) {
            // settings the router refuses: a routes file, PUSHER_USE_PRIVATE_CHANNELS, PUSHER_MAX_PAYLOAD_BYTES
            return fail(e.getMessage(), CliFailure.USAGE);
        } catch (IOException | RuntimeException e) {
            return fail("unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage(), CliFailure.FAILED);
        }
    }

    /** One line on standard error, as every command's failures, and the exit code. */
    private int fail(String message, int exit) {
        out.flush();
        err.println("switchboard route: " + String.valueOf(message).replaceAll("\\s*\\R\\s*", " "));
        err.flush();
        return exit;
    }

    private void route(EventRouter router, BufferedReader in) throws IOException {
        String line;
        int number = 0;
        while ((line = in.readLine()) != null) {
            number++;
            if (!line.isBlank()) {
                out.println(JSON.writeValueAsString(routeLine(router, line, number)));
            }
        }
    }

    static Map<String, Object> routeLine(EventRouter router, String line, int number) {
        Map<String, Object> result = new LinkedHashMap<>();
        JsonNode input;
        try {
            input = JSON.readTree(line);
        } catch (JacksonException e) {
            result.put("line", number);
            result.put("dropped", "INPUT_NOT_JSON: line " + number + " is not JSON: " + e.getOriginalMessage());
            return result;
        }
        if (!input.isObject()) {
            result.put("line", number);
            result.put("dropped", "INPUT_NOT_JSON: line " + number + " is not a JSON object");
            return result;
        }
        RealtimeEvent event = toEvent((ObjectNode) input, number);
        result.put("event_id", event.getEventId());
        result.put("type", event.getType());
        try {
            EventRouter.Outcome outcome = router.route(event);
            result.put("rule", outcome.rule());
            if (outcome instanceof EventRouter.Routed routed) {
                result.put("channels", routed.publish().getChannels());
                result.put("data", JSON.readTree(routed.publish().getData()));
                result.put("bytes", routed.truncation().bytes());
                result.put("truncated", routed.truncation().truncated());
                result.put("original_bytes", routed.truncation().originalBytes());
            } else if (outcome instanceof EventRouter.Dropped dropped) {
                result.put("dropped", dropped.reason() + ": " + dropped.message());
            }
        } catch (RoutingException e) {
            result.put("dropped", e.reason() + ": " + e.getMessage());
        }
        return result;
    }

    private static RealtimeEvent toEvent(ObjectNode input, int number) {
        JsonNode payload = input.get("payload");
        List<String> channels = null;
        JsonNode list = input.get("channels");
        if (list != null && list.isArray()) {
            channels = new ArrayList<>();
            for (JsonNode channel : list) {
                channels.add(channel.asString());
            }
        }
        Map<String, String> headers = new LinkedHashMap<>();
        if (input.get("headers") instanceof ObjectNode h) {
            h.properties().forEach(e -> headers.put(e.getKey(), e.getValue().asString()));
        }
        return RealtimeEvent.newBuilder()
                .setEventId(text(input, "event_id", "line-" + number))
                .setType(text(input, "type", ""))
                .setOccurredAt(Instant.now())
                .setSource(text(input, "source", "route-command"))
                .setAggregateType(text(input, "aggregate_type", null))
                .setAggregateId(text(input, "aggregate_id", null))
                .setPayload(
                        payload == null || payload.isNull()
                                ? ""
                                : payload.isString() ? payload.asString() : JSON.writeValueAsString(payload))
                .setChannels(channels)
                .setSocketId(text(input, "socket_id", null))
                .setHeaders(headers)
                .build();
    }

    private static String text(JsonNode input, String field, String otherwise) {
        JsonNode value = input.get(field);
        return value == null || value.isNull() ? otherwise : value.asString();
    }

    static boolean flag(String name, String value, boolean otherwise) {
        return RoutingOptions.flag(name, value, otherwise);
    }
}
