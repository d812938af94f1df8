package io.switchboard.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The Soketi server (a real Pusher-protocol server) that integration tests publish to and subscribe through.
 * It uses the one on 127.0.0.1:{@code SOKETI_PORT} (6001) when it answers, and otherwise starts it with
 * {@code scripts/soketi.sh start} (installing it from npm on first use); {@code ./switchboard test} and CI start it
 * before the tests. App credentials are the dev defaults, which scripts/soketi.sh gives Soketi.
 */
public final class Soketi {

    public static final String APP_ID = "switchboard";
    public static final String KEY = "switchboard-key";
    public static final String SECRET = "switchboard-secret";

    private static volatile boolean checked;

    private Soketi() {}

    /** Command-line arguments that point publisher-service at this Soketi, with dev-mode channel auth. */
    public static java.util.List<String> publisherArgs() {
        return java.util.List.of(
                "--switchboard.pusher.app-id=" + APP_ID,
                "--switchboard.pusher.key=" + KEY,
                "--switchboard.pusher.secret=" + SECRET,
                "--switchboard.pusher.host=127.0.0.1",
                "--switchboard.pusher.port=" + port(),
                "--switchboard.pusher.scheme=http",
                "--switchboard.auth.mode=names-only");
    }

    public static int port() {
        String port = System.getenv("SOKETI_PORT");
        return port == null || port.isBlank() ? 6001 : Integer.parseInt(port);
    }

    /** Makes sure Soketi answers on 127.0.0.1, starting it when it does not. */
    public static synchronized void ensureRunning() {
        if (checked && listening()) {
            return;
        }
        if (!listening()) {
            Path script = ProjectRoot.path().resolve("scripts/soketi.sh");
            if (!Files.isExecutable(script)) {
                throw new IllegalStateException("Soketi does not answer on 127.0.0.1:" + port() + " and " + script
                        + " is missing: start a Pusher-protocol server there");
            }
            try {
                Process process = new ProcessBuilder("bash", script.toString(), "start")
                        .inheritIO()
                        .start();
                if (!process.waitFor(180, TimeUnit.SECONDS) || process.exitValue() != 0) {
                    throw new IllegalStateException(
                            "scripts/soketi.sh start failed; see .switchboard/soketi/soketi.log");
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot run scripts/soketi.sh", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting Soketi", e);
            }
        }
        checked = true;
    }

    /**
     * A Soketi of a test's own, on another port, for tests that stop and restart it while other tests keep using the
     * shared one. Close it when done.
     */
    public static final class Instance implements AutoCloseable {
        private final int port;
        private final Path state;
        private final java.util.Map<String, String> environment;

        public Instance(int port) {
            this(port, java.util.Map.of());
        }

        /** An instance started with these extra environment variables (Soketi's own {@code SOKETI_*} settings). */
        public Instance(int port, java.util.Map<String, String> environment) {
            this.port = port;
            this.state = ProjectRoot.path().resolve(".switchboard/soketi-" + port);
            this.environment = java.util.Map.copyOf(environment);
            start();
        }

        /**
         * An instance whose app requires user authentication ({@code pusher:signin}): Soketi 1.6.1 ignores a sign-in
         * unless the app enables it, and then closes (4009) a connection that neither signs in nor joins a private
         * or presence channel within 30 s, which is why the shared instance does not enable it.
         */
        public static Instance withUserAuthentication(int port) {
            return new Instance(port, java.util.Map.of("SOKETI_DEFAULT_APP_USER_AUTHENTICATION", "true"));
        }

        public int port() {
            return port;
        }

        /** Arguments pointing publisher-service at this instance (as {@link Soketi#publisherArgs()}). */
        public java.util.List<String> publisherArgs() {
            return Soketi.publisherArgs().stream()
                    .map(a -> a.startsWith("--switchboard.pusher.port=") ? "--switchboard.pusher.port=" + port : a)
                    .toList();
        }

        public void start() {
            script("start");
        }

        public void stop() {
            script("stop");
        }

        public boolean listening() {
            return Soketi.listening(port);
        }

        @Override
        public void close() {
            stop();
        }

        private void script(String command) {
            Path script = ProjectRoot.path().resolve("scripts/soketi.sh");
            try {
                ProcessBuilder builder = new ProcessBuilder("bash", script.toString(), command).inheritIO();
                builder.environment().putAll(environment);
                builder.environment().put("SOKETI_PORT", Integer.toString(port));
                builder.environment().put("SOKETI_STATE_DIR", state.toString());
                Process process = builder.start();
                if (!process.waitFor(180, TimeUnit.SECONDS) || process.exitValue() != 0) {
                    throw new IllegalStateException("scripts/soketi.sh " + command + " (port " + port + ") failed");
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot run scripts/soketi.sh", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while running scripts/soketi.sh " + command, e);
            }
        }
    }

    public static boolean listening() {
        return listening(port());
    }

    static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
