package io.switchboard.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testkit.ProjectRoot;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** scripts/kafka.sh, as `./switchboard dev` and the fault harness run it. */
class KafkaScriptIT {

    @TempDir
    Path state;

    @Test
    void clusterIdInMetaPropertiesIsAnIdNotALogLine() throws Exception {
        // the defect: StorageTool's log line went into the id: "cluster.id=05\:07\:33.312 [main] INFO ... <id>"
        int port = freePort();
        try {
            assertThat(run("start", port)).isZero();
            Properties meta = new Properties();
            try (var in = Files.newInputStream(state.resolve("data/meta.properties"))) {
                meta.load(in);
            }
            assertThat(meta.getProperty("cluster.id")).matches("[A-Za-z0-9_-]{22}");
        } finally {
            run("stop", port);
        }
    }

    private int run(String command, int port) throws IOException, InterruptedException {
        Path root = ProjectRoot.path();
        ProcessBuilder builder = new ProcessBuilder(
                        "bash", root.resolve("scripts/kafka.sh").toString(), command)
                .redirectErrorStream(true)
                .redirectOutput(state.resolve(command + ".out").toFile());
        builder.environment().put("KAFKA_PORT", Integer.toString(port));
        builder.environment().put("KAFKA_STATE_DIR", state.toString());
        Process process = builder.start();
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("scripts/kafka.sh " + command + " did not finish");
        }
        return process.exitValue();
    }

    /** A free port whose next port is free too (the controller's). */
    private static int freePort() throws IOException {
        for (int i = 0; i < 20; i++) {
            try (ServerSocket a = new ServerSocket(0)) {
                int port = a.getLocalPort();
                try (ServerSocket b = new ServerSocket(port + 1)) {
                    return port;
                } catch (IOException taken) {
                    // try another
                }
            }
        }
        throw new IllegalStateException("no two consecutive free ports");
    }
}
