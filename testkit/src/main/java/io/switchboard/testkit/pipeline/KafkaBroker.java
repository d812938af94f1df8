package io.switchboard.testkit.pipeline;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node Kafka broker as its own process, started and stopped by {@code scripts/kafka.sh} (the script
 * `./switchboard dev` uses), on its own port and state folder so it never meets the developer's broker.
 */
public final class KafkaBroker implements AutoCloseable {

    private final Path root;
    private final Path state;
    private final int port;

    public KafkaBroker(Path root, Path state, int port) {
        this.root = root;
        this.state = state;
        this.port = port;
    }

    public String bootstrap() {
        return "127.0.0.1:" + port;
    }

    public void start() throws IOException, InterruptedException {
        script("start");
    }

    /** SIGTERM (a clean shutdown), as `scripts/kafka.sh stop` does. */
    public void stop() throws IOException, InterruptedException {
        script("stop");
    }

    private void script(String command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(
                        "bash", root.resolve("scripts/kafka.sh").toString(), command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        state.resolve("script.log").toFile()));
        builder.environment().put("KAFKA_PORT", Integer.toString(port));
        builder.environment().put("KAFKA_STATE_DIR", state.toString());
        state.toFile().mkdirs();
        Process process = builder.start();
        if (!process.waitFor(3, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException(
                    "scripts/kafka.sh " + command + " failed; see " + state.resolve("script.log"));
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        stop();
    }
}
