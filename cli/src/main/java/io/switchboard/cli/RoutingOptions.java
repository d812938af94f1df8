package io.switchboard.cli;

import io.switchboard.router.guard.ProgressGuard;
import io.switchboard.router.routing.ChannelRouter;
import io.switchboard.router.routing.EventRouter;
import io.switchboard.router.routing.RoutingTable;
import io.switchboard.router.truncation.PayloadTruncator;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Function;
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
    Path routes;

    @Option(
            names = "--private",
            arity = "1",
            paramLabel = "true|false",
            description = "the private- prefix (default: PUSHER_USE_PRIVATE_CHANNELS, else true)")
    Boolean privateChannels;

    @Option(names = "--max-payload-bytes", description = "payload limit (default: PUSHER_MAX_PAYLOAD_BYTES, else 9000)")
    Integer maxPayloadBytes;

    /**
     * Where the environment variables come from. They are read when a command runs, not when the command line is
     * built: a bad value is then the one-line usage error of the command that uses it, not a stack trace of every
     * command.
     */
    Function<String, String> environment = System::getenv;

    /** The router-service's own routing code with these settings. */
    public EventRouter router(ProgressGuard guard) {
        boolean prefixed = privateChannels();
        return new EventRouter(
                new ChannelRouter(RoutingTable.load(routes(), prefixed), prefixed),
                new PayloadTruncator(maxPayloadBytes()),
                guard,
                Clock.systemUTC());
    }

    /** Reads the settings as {@link #router} does; an unusable one is an {@link IllegalArgumentException} naming it. */
    public void check() {
        routes();
        privateChannels();
        maxPayloadBytes();
    }

    private Path routes() {
        if (routes != null) {
            return routes;
        }
        String value = env("SWITCHBOARD_ROUTES");
        try {
            return value == null ? null : Path.of(value);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("SWITCHBOARD_ROUTES is not a file path: " + e.getMessage());
        }
    }

    private boolean privateChannels() {
        return privateChannels != null
                ? privateChannels
                : flag("PUSHER_USE_PRIVATE_CHANNELS", env("PUSHER_USE_PRIVATE_CHANNELS"), true);
    }

    private int maxPayloadBytes() {
        if (maxPayloadBytes != null) {
            return maxPayloadBytes;
        }
        String value = env("PUSHER_MAX_PAYLOAD_BYTES");
        if (value == null) {
            return 9000;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "PUSHER_MAX_PAYLOAD_BYTES must be a whole number of bytes (e.g. 9000); was " + value);
        }
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

    private String env(String name) {
        String value = environment.apply(name);
        return value == null || value.isBlank() ? null : value;
    }
}
