package io.switchboard.gateway.config;

import io.switchboard.gateway.auth.Loopback;
import io.switchboard.gateway.console.FeedTopics;
import io.switchboard.gateway.console.Stage;
import java.net.URI;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The live console ({@code switchboard.console.*}, docs/console.md).
 *
 * @param enabled serve {@code /console/} (default false; {@code ./switchboard dev} turns it on); env
 *     {@code SWITCHBOARD_CONSOLE_ENABLED}
 * @param access {@code auto} (default): open to whoever connects when {@code server.address} is loopback, the operator
 *     token ({@code SWITCHBOARD_OPERATOR_TOKEN}) for its data anywhere else; {@code operator-token}: the token
 *     everywhere. Enabled where the token is needed but unset, the gateway does not start. Env
 *     {@code SWITCHBOARD_CONSOLE_ACCESS}
 * @param bootstrapServers the Kafka the console reads ({@code KAFKA_BOOTSTRAP_SERVERS}, as the services)
 * @param kafka more Kafka client properties for the console's consumer ({@code security.protocol}, {@code sasl.*},
 *     {@code ssl.*})
 * @param schemaRegistryUrl as the services' {@code SCHEMA_REGISTRY_URL}; unset: the schema ids pinned in the build
 * @param topics the pipeline's topic names; the dead-letter topics are these with {@code .dlq}
 * @param metrics each stage's Prometheus scrape URL, and how often it is read
 * @param capacity rows kept in each of the console's lists (published events, events not published), from 10 to
 *     10000; the console starts this many records before the end of each partition
 * @param liveChannels the channels the page's pusher-js client subscribes to at first
 * @param traceWindow how far back the trace search reads (as {@code switchboard trace --since})
 * @param wsHost where browsers open the Pusher-protocol server's WebSocket, when it differs from where the gateway
 *     reaches its HTTP API ({@code PUSHER_HOST}): in compose the gateway calls {@code soketi}, a name browsers cannot
 *     resolve. Unset: {@code PUSHER_HOST}. Env {@code SWITCHBOARD_CONSOLE_WS_HOST}
 * @param wsPort that WebSocket's port; unset: {@code PUSHER_PORT}. Env {@code SWITCHBOARD_CONSOLE_WS_PORT}
 */
@ConfigurationProperties("switchboard.console")
public record ConsoleProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("auto") ManagementAccessProperties.Access access,
        @DefaultValue("127.0.0.1:9092") String bootstrapServers,
        Map<String, String> kafka,
        String schemaRegistryUrl,
        @DefaultValue Topics topics,
        @DefaultValue Metrics metrics,
        @DefaultValue("200") int capacity,
        @DefaultValue("private-global") List<String> liveChannels,
        @DefaultValue("2h") Duration traceWindow,
        String wsHost,
        Integer wsPort) {

    static final String ENABLED = "switchboard.console.enabled (SWITCHBOARD_CONSOLE_ENABLED)";
    static final String WS_HOST = "switchboard.console.ws-host (SWITCHBOARD_CONSOLE_WS_HOST)";
    static final String WS_PORT = "switchboard.console.ws-port (SWITCHBOARD_CONSOLE_WS_PORT)";

    /**
     * A host the page may be told to connect to and the Content-Security-Policy may name: a DNS name, an IPv4
     * address or a bracketed IPv6 address. Nothing else, since the host is written into a response header.
     */
    private static final Pattern WS_HOST_SYNTAX =
            Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]+]");

    public ConsoleProperties {
        kafka = kafka == null ? Map.of() : Map.copyOf(kafka);
        liveChannels = liveChannels == null ? List.of() : List.copyOf(liveChannels);
        if (capacity < 10 || capacity > 10_000) {
            throw new IllegalArgumentException(
                    "switchboard.console.capacity must be from 10 to 10000 rows, not " + capacity);
        }
        if (traceWindow.isNegative() || traceWindow.isZero() || traceWindow.compareTo(Duration.ofDays(7)) > 0) {
            throw new IllegalArgumentException(
                    "switchboard.console.trace-window must be over 0 and at most 7d, not " + traceWindow);
        }
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException(
                    "switchboard.console.bootstrap-servers (KAFKA_BOOTSTRAP_SERVERS) is empty");
        }
        wsHost = wsHost == null || wsHost.isBlank() ? null : wsHost.strip();
        if (wsHost != null && !WS_HOST_SYNTAX.matcher(wsHost).matches()) {
            throw new IllegalArgumentException(
                    WS_HOST + " must be a host name or an IP address (no scheme, port or path), not " + wsHost);
        }
        if (wsPort != null && (wsPort < 1 || wsPort > 65535)) {
            throw new IllegalArgumentException(WS_PORT + " must be from 1 to 65535, not " + wsPort);
        }
    }

    /**
     * The host browsers open the Pusher-protocol server's WebSocket on: {@code ws-host}, else the gateway's
     * {@code PUSHER_HOST}; null for Pusher's own cluster (neither set).
     */
    public String browserWsHost(PusherProperties pusher) {
        if (wsHost != null) {
            return wsHost;
        }
        if (pusher.host() == null || pusher.host().isBlank()) {
            return null;
        }
        String host = pusher.host().strip();
        if (!WS_HOST_SYNTAX.matcher(host).matches()) {
            throw new IllegalArgumentException("switchboard.pusher.host (PUSHER_HOST) " + host + " cannot be handed to"
                    + " the console's browsers; set " + WS_HOST + " to the host they connect to");
        }
        return host;
    }

    /** The port of that WebSocket: {@code ws-port}, else {@code PUSHER_PORT}; null for the scheme's default. */
    public Integer browserWsPort(PusherProperties pusher) {
        return wsPort != null ? wsPort : pusher.port();
    }

    /**
     * True when the console's data is open to whoever connects: {@code auto}, a loopback {@code server.address} (read
     * from its text, never resolved), and no proxy in front. An unset address (every interface) is not loopback; and
     * behind a proxy ({@code behindProxy}: forwarded headers believed, or trusted proxies listed), a loopback bind
     * says nothing of who is on the other side of that proxy.
     */
    public boolean openWithoutToken(String serverAddress, boolean behindProxy) {
        return access == ManagementAccessProperties.Access.AUTO
                && !behindProxy
                && Loopback.listenAddress(serverAddress);
    }

    /** The extra Kafka properties' names only: their values may hold credentials ({@code sasl.jaas.config}). */
    @Override
    public String toString() {
        return "ConsoleProperties[enabled=" + enabled + ", access=" + access + ", bootstrapServers=" + bootstrapServers
                + ", kafka=" + kafka.keySet() + ", topics=" + topics + ", metrics=" + metrics + ", capacity="
                + capacity + ", liveChannels=" + liveChannels + ", traceWindow=" + traceWindow + ", wsHost=" + wsHost
                + ", wsPort=" + wsPort + "]";
    }

    /** The topics; {@code events} and {@code publish} name the dead-letter topics too. */
    public record Topics(
            @DefaultValue("realtime.events") String events,
            @DefaultValue("realtime.publish") String publish,
            @DefaultValue("realtime.ledger") String ledger) {

        public FeedTopics feedTopics() {
            return new FeedTopics(events, publish, ledger);
        }
    }

    /**
     * @param relay outbox-relay's scrape URL (default {@code http://127.0.0.1:${RELAY_PORT:8083}/actuator/prometheus})
     * @param router router-service's ({@code ROUTER_PORT}, 8081)
     * @param publisher publisher-service's ({@code PUBLISHER_PORT}, 8082)
     * @param interval how often each is read, 1 s to 5 min
     */
    public record Metrics(
            @DefaultValue("http://127.0.0.1:8083/actuator/prometheus")
            URI relay,

            @DefaultValue("http://127.0.0.1:8081/actuator/prometheus")
            URI router,

            @DefaultValue("http://127.0.0.1:8082/actuator/prometheus")
            URI publisher,

            @DefaultValue("5s") Duration interval) {

        public Metrics {
            for (URI url : new URI[] {relay, router, publisher}) {
                if (url.getUserInfo() != null) {
                    // never echo the URL: its user-info is a credential
                    throw new IllegalArgumentException("switchboard.console.metrics: a scrape URL must be without"
                            + " credentials (user:password@), and one of " + url.getHost() + "'s is not");
                }
                if (url.getScheme() == null
                        || !(url.getScheme().equals("http") || url.getScheme().equals("https"))
                        || url.getHost() == null) {
                    throw new IllegalArgumentException(
                            "switchboard.console.metrics: " + url + " is not an http(s) URL without credentials");
                }
            }
            if (interval.compareTo(Duration.ofSeconds(1)) < 0 || interval.compareTo(Duration.ofMinutes(5)) > 0) {
                throw new IllegalArgumentException(
                        "switchboard.console.metrics.interval must be from 1s to 5m, not " + interval);
            }
        }

        public Map<Stage, URI> byStage() {
            Map<Stage, URI> urls = new EnumMap<>(Stage.class);
            urls.put(Stage.RELAY, relay);
            urls.put(Stage.ROUTER, router);
            urls.put(Stage.PUBLISHER, publisher);
            return urls;
        }
    }
}
