package io.switchboard.gateway.auth;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.net.URI;
import java.time.Duration;

/**
 * The owner calls as a Micrometer timer, {@code switchboard.gateway.owner.requests}, tagged {@code owner} (the
 * authorizer's host and port; never its path or query) and {@code outcome}: {@code allowed}, {@code refused},
 * {@code error}, {@code timeout}, {@code busy} for calls, {@code cached} for answers reused without a call.
 */
public final class OwnerMetrics implements HttpOwnerAuthorizer.Listener {

    public static final String NAME = "switchboard.gateway.owner.requests";

    private final MeterRegistry registry;

    public OwnerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void answered(URI owner, OwnerAnswer answer, boolean cached, Duration took) {
        Timer.builder(NAME)
                .description("Channel owners asked by the gateway, by owner and outcome")
                .tag("owner", owner.getHost() + (owner.getPort() < 0 ? "" : ":" + owner.getPort()))
                .tag("outcome", cached ? "cached" : answer.outcome().tag())
                .register(registry)
                .record(took);
    }
}
