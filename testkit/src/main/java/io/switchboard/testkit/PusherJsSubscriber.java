package io.switchboard.testkit;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real pusher-js client in node ({@code scripts/node/subscriber.js}), driven from a Java test: it subscribes
 * through the publisher's auth endpoint and reports what it received. Close it to stop the node process.
 */
public final class PusherJsSubscriber implements AutoCloseable {

    /** One line the subscriber printed. */
    public record Message(String kind, String channel, String event, JsonNode data, JsonNode raw) {}

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Process process;
    private final List<Message> messages = new CopyOnWriteArrayList<>();
    private final List<String> stderr = new CopyOnWriteArrayList<>();

    private PusherJsSubscriber(Process process) {
        this.process = process;
        Thread out = new Thread(() -> read(process.inputReader(StandardCharsets.UTF_8), true), "pusher-js-stdout");
        Thread err = new Thread(
                () -> read(
                        new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)),
                        false),
                "pusher-js-stderr");
        out.setDaemon(true);
        err.setDaemon(true);
        out.start();
        err.start();
    }

    /** Starts a subscriber on Soketi for these channels, authorizing private ones at {@code authEndpoint}. */
    public static PusherJsSubscriber start(String authEndpoint, List<String> channels) {
        return start(authEndpoint, channels, null);
    }

    public static PusherJsSubscriber start(String authEndpoint, List<String> channels, String authorizationHeader) {
        return start(authEndpoint, channels, authorizationHeader, Soketi.port());
    }

    /** As {@link #start(String, List, String)}, on the Soketi at 127.0.0.1:{@code port}. */
    public static PusherJsSubscriber start(
            String authEndpoint, List<String> channels, String authorizationHeader, int port) {
        Path script = ProjectRoot.path().resolve("scripts/node/subscriber.js");
        if (!Files.isDirectory(ProjectRoot.path().resolve("scripts/node/node_modules/pusher-js"))) {
            throw new IllegalStateException("pusher-js is not installed: run scripts/soketi.sh install");
        }
        List<String> command = new ArrayList<>(List.of(
                "node",
                script.toString(),
                "--key=" + Soketi.KEY,
                "--host=127.0.0.1",
                "--port=" + port,
                "--auth-endpoint=" + authEndpoint,
                "--channels=" + String.join(",", channels)));
        if (authorizationHeader != null) {
            command.add("--auth-header=" + authorizationHeader);
        }
        try {
            return new PusherJsSubscriber(new ProcessBuilder(command).start());
        } catch (IOException e) {
            throw new IllegalStateException("cannot start node: is Node.js installed?", e);
        }
    }

    /** Waits until every channel reports pusher:subscription_succeeded; fails with what the client said if not. */
    public PusherJsSubscriber awaitSubscribed(List<String> channels, Duration timeout) {
        await().atMost(timeout)
                .pollInterval(Duration.ofMillis(20))
                .failFast("pusher-js reported an error: " + errors(), () -> !errors().isEmpty())
                .until(() -> channels.stream()
                        .allMatch(c -> messages.stream()
                                .anyMatch(m -> m.kind().equals("subscribed") && c.equals(m.channel()))));
        return this;
    }

    /** Every line the client printed so far: connections, subscriptions, events, errors. */
    public List<Message> all() {
        return List.copyOf(messages);
    }

    public List<Message> events() {
        return messages.stream().filter(m -> m.kind().equals("event")).toList();
    }

    public List<Message> events(String channel) {
        return events().stream().filter(m -> channel.equals(m.channel())).toList();
    }

    public List<Message> errors() {
        return messages.stream().filter(m -> m.kind().equals("error")).toList();
    }

    public List<String> stderr() {
        return List.copyOf(stderr);
    }

    private void read(BufferedReader reader, boolean json) {
        try (reader) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!json) {
                    stderr.add(line);
                    continue;
                }
                JsonNode node = JSON.readTree(line);
                messages.add(new Message(
                        node.path("kind").asString(),
                        node.path("channel").isMissingNode()
                                ? null
                                : node.path("channel").asString(),
                        node.path("event").isMissingNode()
                                ? null
                                : node.path("event").asString(),
                        node.get("data"),
                        node));
            }
        } catch (IOException | RuntimeException e) {
            stderr.add("reader stopped: " + e);
        }
    }

    @Override
    public void close() {
        try {
            process.getOutputStream().close(); // the subscriber exits when its stdin closes
        } catch (IOException ignored) {
            // the process is gone already
        }
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
