package io.switchboard.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's root folder, for the scripts and node tools the integration tests drive. */
public final class ProjectRoot {

    private ProjectRoot() {}

    public static Path path() {
        String configured = System.getProperty("switchboard.root");
        if (configured != null && Files.isDirectory(Path.of(configured, "scripts"))) {
            return Path.of(configured);
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("scripts/node"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("cannot find the repository root (a folder with scripts/node)");
        }
        return dir;
    }
}
