package io.switchboard.cli;

import io.switchboard.router.guard.ProgressGuard;
import io.switchboard.router.routing.ChannelRouter;
import io.switchboard.router.routing.EventRouter;
import io.switchboard.router.routing.RoutingTable;
import io.switchboard.router.truncation.PayloadTruncator;
import java.nio.file.Path;
import java.time.Clock;
import org.springframework.core.convert.ConversionException;
import org.springframework.core.convert.support.DefaultConversionService;
import picocli.CommandLine.Option;

/**
 * The router's settings, read from the same environment variables as router-service ({@code SWITCHBOARD_ROUTES},
 * {@code PUSHER_USE_PRIVATE_CHANNELS}, {@code PUSHER_MAX_PAYLOAD_BYTES}), so that a command's routing decision is the
 * one the service would take today. Shared by route, replay and tail.
 */
public final class RoutingOptions {

    @Option(names = "--routes", description = "rules file (default: SWITCHBOARD_ROUTES, else the built-in table)")
    Path routes = env("SWITCHBOARD_ROUTES") == null ? null : Path.of(env("SWITCHBOARD_ROUTES"));

    @Option(
            names = "--private",
            arity = "1",
            paramLabel = "true|false",
            description = "the private- prefix (default: PUSHER_USE_PRIVATE_CHANNELS, else true)")
    boolean privateChannels = flag("PUSHER_USE_PRIVATE_CHANNELS", env("PUSHER_USE_PRIVATE_CHANNELS"), true);

    @Option(names = "--max-payload-bytes", description = "payload limit (default: PUSHER_MAX_PAYLOAD_BYTES, else 9000)")
    int maxPayloadBytes =
            env("PUSHER_MAX_PAYLOAD_BYTES") == null ? 9000 : Integer.parseInt(env("PUSHER_MAX_PAYLOAD_BYTES"));

    /** The router-service's own routing code with these settings. */
    public EventRouter router(ProgressGuard guard) {
        return new EventRouter(
                new ChannelRouter(RoutingTable.load(routes, privateChannels), privateChannels),
                new PayloadTruncator(maxPayloadBytes),
                guard,
                Clock.systemUTC());
    }

    /**
     * A boolean setting read as the services read it (Spring's conversion: 1, 0, true, false, yes, no, on, off);
     * anything else is an error that names the setting.
     */
    static boolean flag(String name, String value, boolean otherwise) {
        if (value == null) {
            return otherwise;
        }
        try {
            Boolean parsed = DefaultConversionService.getSharedInstance().convert(value.trim(), Boolean.class);
            if (parsed != null) {
                return parsed;
            }
        } catch (ConversionException e) {
            // named below
        }
        throw new IllegalArgumentException(name + " must be 1, 0, true, false, yes, no, on or off; was " + value);
    }

    private static String env(String name) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? null : value;
    }
}
