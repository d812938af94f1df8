package io.switchboard.testkit.pipeline;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One Switchboard service as its own OS process ({@code java -jar <module>/target/<module>-*-exec.jar}), configured
 * by environment variables as an operator runs it, its output appended to a log file. It can be killed with
 * SIGKILL ({@link #kill9()}), stopped with SIGTERM and started again.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final String name;
    private final Path jar;
    private final Map<String, String> env;
    private final int port;
    private final Path log;
    private final List<String> jvmArgs;
    private Process process;
    private volatile long killedNanos = -1;
    private volatile long startedNanos = -1;

    public ServiceProcess(String name, Path jar, Map<String, String> env, int port, Path logDir, List<String> jvmArgs) {
        this.name = name;
        this.jar = jar;
        this.env = Map.copyOf(env);
        this.port = port;
        this.log = logDir.resolve(name + ".log");
        this.jvmArgs = List.copyOf(jvmArgs);
    }

    /**
     * The same service started from a class data sharing archive (AppCDS): the jar is extracted next to the logs
     * and run once to its context refresh with {@code -XX:ArchiveClassesAtExit}, then every start maps the archive
     * ({@code -XX:SharedArchiveFile}). Measured here: the publisher's context up in 3.1-3.4 s instead of 6.1-6.5 s.
     */
    public ServiceProcess withClassDataSharing() throws IOException, InterruptedException {
        Path dir = log.getParent().resolve(name + "-cds");
        run(List.of(
                javaBinary(), "-Djarmode=tools", "-jar", jar.toString(), "extract", "--destination", dir.toString()));
        Path extracted = dir.resolve(jar.getFileName());
        Path archive = dir.resolve("app.jsa");
        List<String> training = new ArrayList<>(List.of(
                javaBinary(),
                "-XX:ArchiveClassesAtExit=" + archive,
                "-Dspring.context.exit=onRefresh",
                "-jar",
                extracted.toString()));
        run(training);
        List<String> args = new ArrayList<>(jvmArgs);
        args.add("-XX:SharedArchiveFile=" + archive);
        return new ServiceProcess(name, extracted, env, port, log.getParent(), args);
    }

    private void run(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(3, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed; see " + log);
        }
    }

    /** The service's exec jar, built by {@code ./switchboard build}. */
    public static Path jar(Path root, String module) throws IOException {
        try (var files = Files.list(root.resolve(module).resolve("target"))) {
            return files.filter(p -> p.getFileName().toString().matches(module + "-.*-exec\\.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException(
                            module + "'s exec jar is missing: run ./switchboard build first"));
        }
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public synchronized void start() throws IOException {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx256m"));
        command.addAll(jvmArgs);
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        startedNanos = System.nanoTime();
        process = builder.start();
    }

    /** Waits until {@code /actuator/health} answers UP; fails at once if the process exits meanwhile. */
    public void awaitHealthy(Duration timeout) throws InterruptedException {
        try {
            await(name + " reports UP")
                    .atMost(timeout)
                    .pollInterval(Duration.ofMillis(200))
                    .until(this::healthy);
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException(name + " did not report healthy in " + timeout + "; see " + log);
        }
    }

    private boolean healthy() throws InterruptedException {
        if (process != null && !process.isAlive()) {
            throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
        }
        try {
            HttpResponse<String> health = HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                            .timeout(Duration.ofSeconds(2))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return health.statusCode() == 200 && health.body().contains("\"UP\"");
        } catch (IOException e) {
            return false; // not listening yet
        }
    }

    /** SIGKILL: no shutdown hook, no offset commit, no goodbye to the group. */
    public synchronized void kill9() throws InterruptedException {
        if (process != null) {
            killedNanos = System.nanoTime();
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** SIGTERM, then SIGKILL after 30 s. */
    public synchronized void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** When it was last started (System.nanoTime), or -1. */
    public long startedNanos() {
        return startedNanos;
    }

    /** When it was last killed (System.nanoTime), or -1. */
    public long killedNanos() {
        return killedNanos;
    }

    /**
     * The CPU time the process has used (user + system) in seconds, read from {@code /proc/<pid>/stat}; 0 when it
     * is not running. Linux only, as the harnesses that read it.
     */
    public synchronized double cpuSeconds() {
        if (process == null || !process.isAlive()) {
            return 0;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            // the fields after the command name, which is in parentheses and may hold spaces
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime (fields 14, 15)
            return ticks / 100.0; // USER_HZ is 100 on Linux
        } catch (IOException | RuntimeException e) {
            return 0; // it exited meanwhile
        }
    }

    /** The resident set size in bytes ({@code VmRSS} of {@code /proc/<pid>/status}); 0 when it is not running. */
    public synchronized long rssBytes() {
        if (process == null || !process.isAlive()) {
            return 0;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
            return 0;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
