package io.switchboard.cli.kafka;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The command line as operators run it: the jar that {@code mvn package} built before the ITs run, in its own JVM. */
final class CliJar {

    private CliJar() {}

    record Run(int exit, String out, String err) {}

    static String path() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(f -> f.getFileName().toString().matches("cli-.*-exec\\.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no cli exec jar in target/: run mvn verify"))
                    .toString();
        }
    }

    /**
     * Runs {@code java -jar cli-exec.jar ARGS} with {@code environment} set (a null value removes the variable) and
     * without the connection variables of the test's own environment.
     */
    static Run run(Path dir, Map<String, String> environment, String... args) throws Exception {
        String[] command = new String[args.length + 3];
        command[0] = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        command[1] = "-jar";
        command[2] = path();
        System.arraycopy(args, 0, command, 3, args.length);
        Path out = Files.createTempFile(dir, "jar", ".out");
        Path err = Files.createTempFile(dir, "jar", ".err");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Map<String, String> env = builder.environment();
        for (String name : new String[] {
            "KAFKA_BOOTSTRAP_SERVERS",
            "SCHEMA_REGISTRY_URL",
            "SWITCHBOARD_ROUTES",
            "PUSHER_USE_PRIVATE_CHANNELS",
            "PUSHER_MAX_PAYLOAD_BYTES"
        }) {
            env.remove(name);
        }
        environment.forEach((name, value) -> {
            if (value == null) {
                env.remove(name);
            } else {
                env.put(name, value);
            }
        });
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("switchboard " + String.join(" ", args) + " did not end within 60s");
        }
        Run run = new Run(process.exitValue(), Files.readString(out), Files.readString(err));
        System.out.println("$ (" + String.join(" ", environment.keySet()) + " set) java -jar cli-exec.jar "
                + String.join(" ", args) + "\n" + run.out() + run.err() + "[exit " + run.exit() + "]");
        return run;
    }
}
