package io.switchboard.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testkit.ProjectRoot;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The console serves pusher-js's web build, vendored (no webjar of it is served on Maven Central, and copying it at
 * build time would make every Maven build need npm): it must be the very file of the version scripts/node locks, the
 * one the node tests run, with its MIT licence header.
 */
class VendoredPusherJsTest {

    private static final String VENDORED = "/io/switchboard/gateway/console/web/pusher.min.js";

    @Test
    void isTheVersionScriptsNodeLocksWithItsLicenceHeader() throws IOException {
        String locked = JsonMapper.builder()
                .build()
                .readTree(ProjectRoot.path()
                        .resolve("scripts/node/package-lock.json")
                        .toFile())
                .path("packages")
                .path("node_modules/pusher-js")
                .path("version")
                .asString();

        assertThat(vendored())
                .startsWith("/*!\n * Pusher JavaScript Library v" + locked + "\n")
                .contains(" * Released under the MIT licence.");
    }

    @Test
    void isByteForByteTheLockedPackagesWebBuild() throws IOException {
        Path installed = ProjectRoot.path().resolve("scripts/node/node_modules/pusher-js/dist/web/pusher.min.js");
        // a failure, not a skip: CI installs scripts/node before the build, and a skipped check would let a stale
        // copy pass unnoticed
        assertThat(installed)
                .as("scripts/node is not installed: run scripts/soketi.sh install")
                .isRegularFile();

        assertThat(vendored()).isEqualTo(Files.readString(installed, StandardCharsets.UTF_8));
    }

    private static String vendored() throws IOException {
        try (InputStream in = VendoredPusherJsTest.class.getResourceAsStream(VENDORED)) {
            assertThat(in).as(VENDORED).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
