package io.switchboard.bench;

import io.switchboard.testkit.ProjectRoot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What a harness run found: lines printed as they come and kept, {@code RESULT} lines for the figures a target is
 * checked against (each saying whether it is met), and the whole written to {@code results.md} in the run's
 * directory.
 */
final class Report {

    private final List<String> lines = new ArrayList<>();

    /** Prints the line and keeps it. */
    void print(String line) {
        System.out.println(line);
        lines.add(line);
    }

    /** Prints and keeps a line starting with {@code RESULT}, the form the docs and CI grep for. */
    void result(String format, Object... args) {
        print("RESULT " + String.format(format, args));
    }

    /** "target ≥ 90%: met", "target ≤ 1.5×: not met". */
    static String target(String target, boolean met) {
        return "target " + target + ": " + (met ? "met" : "not met");
    }

    /** A fresh directory for one run's logs and results: benchmarks/target/{harness}-{epoch millis}. */
    static Path runDirectory(String harness) {
        return ProjectRoot.path()
                .resolve("benchmarks/target/" + harness + "-" + Instant.now().toEpochMilli());
    }

    /** Writes the lines kept to {@code results.md} in {@code directory}, and says where. */
    void save(Path directory) {
        save(directory, lines);
    }

    /** Writes {@code lines} to {@code results.md} in {@code directory}, and says where. */
    static void save(Path directory, List<String> lines) {
        Path results = directory.resolve("results.md");
        try {
            Files.createDirectories(directory);
            Files.write(results, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + results, e);
        }
        System.out.println("results in " + results);
    }
}
