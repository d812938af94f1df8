package io.switchboard.testkit;

import static org.assertj.core.api.Assertions.assertThat;
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
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real pusher-js client in node ({@code scripts/node/subscriber.js}), driven from a Java test: it subscribes
 * through the gateway's auth endpoint (private, presence and private-encrypted channels, which it decrypts), can sign
 * in through the user-auth endpoint, and reports what it received. Close it to stop the node process.
 */
public final class PusherJsSubscriber implements AutoCloseable {

    /** One line the subscriber printed. */
    public record Message(String kind, String channel, String event, JsonNode data, JsonNode raw) {

        /** The HTTP status pusher-js reported with an auth error (401, 403…), or 0 when there was none. */
        public int statusCode() {
            return raw.path("status_code").asInt(0);
        }
    }

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
        return builder()
                .authEndpoint(authEndpoint)
                .channels(channels)
                .authorizationHeader(authorizationHeader)
                .port(port)
                .start();
    }

    /** A subscriber with more to do: a bearer token, sign-in through a user-auth endpoint, pusher-js's own log. */
    public static Builder builder() {
        return new Builder();
    }

    /** Options of one subscriber; {@link #start()} launches it. */
    public static final class Builder {
        private String authEndpoint;
        private String userAuthEndpoint;
        private List<String> channels = List.of();
        private String authorizationHeader;
        private int port = Soketi.port();
        private boolean pusherLog;

        private Builder() {}

        /** The channel authorization endpoint (private-, presence- and private-encrypted- channels). */
        public Builder authEndpoint(String url) {
            this.authEndpoint = url;
            return this;
        }

        /**
         * The user authentication endpoint: pusher-js is configured with {@code userAuthentication} (ajax, the same
         * headers) and calls {@code pusher.signin()}; see {@link #signedIn()}.
         */
        public Builder signIn(String userAuthEndpoint) {
            this.userAuthEndpoint = userAuthEndpoint;
            return this;
        }

        public Builder channels(List<String> channels) {
            this.channels = List.copyOf(channels);
            return this;
        }

        public Builder channels(String... channels) {
            return channels(List.of(channels));
        }

        /** The Authorization header both auth endpoints receive, for example {@code Bearer eyJ…}. */
        public Builder authorizationHeader(String header) {
            this.authorizationHeader = header;
            return this;
        }

        public Builder bearer(String token) {
            return authorizationHeader(token == null ? null : "Bearer " + token);
        }

        /** The Soketi (or other Pusher-protocol server) at 127.0.0.1:{@code port}. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** pusher-js's own log lines (for example why it dropped an encrypted event) go to {@link #stderr()}. */
        public Builder pusherLog(boolean on) {
            this.pusherLog = on;
            return this;
        }

        public PusherJsSubscriber start() {
            if (channels.isEmpty() && userAuthEndpoint == null) {
                throw new IllegalArgumentException("a subscriber needs channels, a sign-in endpoint, or both");
            }
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
                    "--channels=" + String.join(",", channels)));
            if (authEndpoint != null) {
                command.add("--auth-endpoint=" + authEndpoint);
            }
            if (userAuthEndpoint != null) {
                command.add("--user-auth-endpoint=" + userAuthEndpoint);
            }
            if (pusherLog) {
                command.add("--pusher-log=1");
            }
            ProcessBuilder process = new ProcessBuilder(command);
            if (authorizationHeader != null) {
                // an environment variable, not an argument: a command line is visible to every local user (ps)
                process.environment().put("SUBSCRIBER_AUTH_HEADER", authorizationHeader);
            }
            try {
                return new PusherJsSubscriber(process.start());
            } catch (IOException e) {
                throw new IllegalStateException("cannot start node: is Node.js installed?", e);
            }
        }
    }

    /** Waits until every channel reports pusher:subscription_succeeded; fails with what the client said if not. */
    public PusherJsSubscriber awaitSubscribed(List<String> channels, Duration timeout) {
        await().atMost(timeout)
                .pollInterval(Duration.ofMillis(20))
                .failFast(() -> assertThat(errors())
                        .as("pusher-js reported an error (stderr: %s)", stderr)
                        .isEmpty())
                .until(() -> channels.stream()
                        .allMatch(c -> messages.stream()
                                .anyMatch(m -> m.kind().equals("subscribed") && c.equals(m.channel()))));
        return this;
    }

    /**
     * Waits until pusher-js reports {@code pusher:subscription_error} for this channel and returns it; its
     * {@link Message#statusCode()} is the auth endpoint's HTTP status. Fails if the channel is subscribed instead.
     */
    public Message awaitSubscriptionError(String channel, Duration timeout) {
        await().atMost(timeout)
                .pollInterval(Duration.ofMillis(20))
                .failFast(
                        "pusher-js subscribed to " + channel + " although it should have been refused",
                        () -> subscribed(channel))
                .until(() -> subscriptionError(channel).isPresent());
        return subscriptionError(channel).orElseThrow();
    }

    /** The sign-in the server confirmed ({@code pusher:signin_success}): its data is the parsed user_data. */
    public Optional<Message> signedIn() {
        return messages.stream().filter(m -> m.kind().equals("signin_success")).findFirst();
    }

    /** Waits for {@code pusher:signin_success} and returns the user_data it carried; fails fast on an error. */
    public JsonNode awaitSignedIn(Duration timeout) {
        await().atMost(timeout)
                .pollInterval(Duration.ofMillis(20))
                .failFast(() -> assertThat(errors())
                        .as("pusher-js reported an error (stderr: %s)", stderr)
                        .isEmpty())
                .until(() -> signedIn().isPresent());
        return signedIn().orElseThrow().data();
    }

    /** Whether pusher-js reported {@code pusher:subscription_succeeded} for this channel. */
    public boolean subscribed(String channel) {
        return messages.stream().anyMatch(m -> m.kind().equals("subscribed") && channel.equals(m.channel()));
    }

    public Optional<Message> subscriptionError(String channel) {
        return errors().stream()
                .filter(m -> "subscription".equals(m.raw().path("where").asString("")) && channel.equals(m.channel()))
                .findFirst();
    }

    /**
     * A presence channel's members when the subscription succeeded: {@code {"me": {id, info}, "members": [{id, info},
     * …], "count": N}}, as pusher-js's {@code Members} held them.
     */
    public Optional<JsonNode> members(String channel) {
        return messages.stream()
                .filter(m -> m.kind().equals("subscribed") && channel.equals(m.channel()) && m.data() != null)
                .map(Message::data)
                .findFirst();
    }

    /** Members that joined a presence channel after this client ({@code pusher:member_added}): {id, info} each. */
    public List<JsonNode> membersAdded(String channel) {
        return messages.stream()
                .filter(m -> m.kind().equals("member_added") && channel.equals(m.channel()))
                .map(Message::data)
                .toList();
    }

    /**
     * Events of a {@code private-encrypted-} channel as they arrived on the socket, before pusher-js decrypted them
     * ({@code {"ciphertext", "nonce"}}): what the Pusher server saw.
     */
    public List<Message> wire(String channel) {
        return messages.stream()
                .filter(m -> m.kind().equals("wire") && channel.equals(m.channel()))
                .toList();
    }

    /** Events sent to the signed-in user ({@code #server-to-user-<id>}), as pusher-js's {@code pusher.user} emits them. */
    public List<Message> userEvents() {
        return messages.stream().filter(m -> m.kind().equals("user_event")).toList();
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
