package io.switchboard.relay.config;

import io.switchboard.relay.relay.RelayLoop;
import java.time.Duration;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the relay loop with the application and stops it first on shutdown (the highest phase), while the producer
 * and the database pool are still open, so its drain can retire what Kafka acknowledged.
 */
final class RelayLifecycle implements SmartLifecycle {

    private final RelayLoop loop;
    private final Duration stopTimeout;

    RelayLifecycle(RelayLoop loop, Duration stopTimeout) {
        this.loop = loop;
        this.stopTimeout = stopTimeout;
    }

    @Override
    public void start() {
        loop.start();
    }

    @Override
    public void stop() {
        loop.stop(stopTimeout);
    }

    @Override
    public boolean isRunning() {
        return loop.isRunning();
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }
}
