package io.switchboard.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.switchboard.testkit.ProjectRoot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The node tools' own tests ({@code scripts/node/test/*.test.js}, node's built-in runner, no npm package), so that
 * {@code ./mvnw verify} runs them: the grouped view of {@code ./switchboard dev} ({@code grouped-printer.js}).
 */
class NodeScriptsTest {

    @Test
    void theNodeToolsTestsPass() throws Exception {
        Path root = ProjectRoot.path();
        List<String> tests;
        try (Stream<Path> files = Files.list(root.resolve("scripts/node/test"))) {
            tests = files.map(Path::toString)
                    .filter(name -> name.endsWith(".test.js"))
                    .sorted()
                    .toList();
        }
        assertThat(tests).as("tests in scripts/node/test").isNotEmpty();

        // the files themselves, which every node takes (node 21 reads the arguments as globs, node 20 as paths)
        List<String> command = new ArrayList<>(List.of("node", "--test"));
        command.addAll(tests);
        Path output = Path.of("target", "node-test.out").toAbsolutePath();
        Files.createDirectories(output.getParent());
        Process node;
        try {
            node = new ProcessBuilder(command)
                    .directory(root.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
        } catch (IOException e) {
            // CI installs node first (.ci/run): a missing node is a broken machine, not a test to skip
            throw new AssertionError("node is not installed (apt-get install nodejs): " + e.getMessage(), e);
        }
        if (!node.waitFor(2, TimeUnit.MINUTES)) {
            node.destroyForcibly();
            fail("node --test did not finish in 2 minutes:%n%s", read(output));
        }
        assertThat(node.exitValue())
                .as("node --test %s%n%s", String.join(" ", tests), read(output))
                .isZero();
    }

    private static String read(Path output) throws IOException {
        return Files.readString(output, StandardCharsets.UTF_8);
    }
}
