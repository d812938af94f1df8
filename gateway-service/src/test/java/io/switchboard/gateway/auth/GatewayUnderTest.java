package io.switchboard.gateway.auth;

import io.switchboard.gateway.GatewayApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The real gateway (GatewayApplication, its filter chain and controllers) on a random port in jwt mode with the
 * test HS256 secret, called over HTTP as pusher-js calls it. Pusher credentials are set (signing needs no server);
 * the rate limits are raised out of the way, since these tests fire many requests from one address.
 */
final class GatewayUnderTest implements AutoCloseable {

    private final ConfigurableApplicationContext context;
    private final String base;
    private final HttpClient http = HttpClient.newHttpClient();

    private GatewayUnderTest(ConfigurableApplicationContext context) {
        this.context = context;
        this.base = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port")
                + "/api/realtime/pusher";
    }

    /** @param settings extra {@code --name=value} arguments: the rules, owner settings, token rules */
    static GatewayUnderTest start(String... settings) {
        return new GatewayUnderTest(GatewayApplication.builder().run(args(settings)));
    }

    static String[] args(String... settings) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--management.server.port=0",
                "--switchboard.auth.mode=jwt",
                "--switchboard.auth.jwt.hs256-secret=" + TestTokens.SECRET,
                "--switchboard.pusher.app-id=1",
                "--switchboard.pusher.key=test-key",
                "--switchboard.pusher.secret=test-secret",
                "--switchboard.pusher.host=127.0.0.1",
                "--switchboard.pusher.port=1",
                "--switchboard.pusher.scheme=http",
                "--switchboard.limits.per-caller-requests=1000000",
                "--switchboard.limits.per-address-requests=1000000"));
        // a setting given here replaces the default above (a repeated argument would be joined into a list)
        for (String setting : settings) {
            String key = setting.substring(0, setting.indexOf('=') + 1);
            args.removeIf(arg -> arg.startsWith(key));
            args.add(setting);
        }
        return args.toArray(String[]::new);
    }

    HttpResponse<String> auth(String bearer, String channel) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/auth"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("socket_id=123.456&channel_name=" + channel));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@code POST /user-auth} as pusher-js's userAuthentication sends it. */
    HttpResponse<String> userAuth(String bearer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/user-auth"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("socket_id=123.456"));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    ConfigurableApplicationContext context() {
        return context;
    }

    @Override
    public void close() {
        context.close();
    }
}
