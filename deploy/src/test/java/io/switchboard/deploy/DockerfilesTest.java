package io.switchboard.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.switchboard.deploy.Dockerfile.Instruction;
import io.switchboard.deploy.Dockerfile.Stage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each service's Dockerfile, checked without Docker (the project's machines have no engine): a pinned JRE 17+ base, a
 * numeric non-root user, the jar {@code package} produced copied from the build context, Spring Boot's layers
 * extracted and laid out so that the entrypoint finds the application and all its libraries (the build stage's
 * {@code RUN java ...} is replayed here with this JDK), the service's ports exposed.
 */
class DockerfilesTest {

    static List<LaunchedService> services() {
        return LaunchedService.all();
    }

    @ParameterizedTest
    @MethodSource("services")
    void everyStageStartsFromAPinnedImageAndTheServiceRunsOnAJre17OrLater(LaunchedService service) throws IOException {
        Dockerfile dockerfile = dockerfile(service);
        for (Stage stage : dockerfile.stages()) {
            assertThat(ImageReference.parse(stage.image()).pinned())
                    .as(
                            "%s: FROM %s is not pinned to a release (a tag such as 17.0.15_6-jre-noble, or a digest)",
                            dockerfile.file(), stage.image())
                    .isTrue();
        }
        ImageReference runtime = ImageReference.parse(dockerfile.finalStage().image());
        assertThat(runtime.tag())
                .as(
                        "%s: the service runs on %s; a JRE image (no compiler, smaller) is expected",
                        dockerfile.file(), dockerfile.finalStage().image())
                .contains("jre");
        assertThat(runtime.majorVersion())
                .as("%s: the services are built for Java 17", dockerfile.file())
                .isGreaterThanOrEqualTo(17);
        // the application's own classes must load on that Java: class file version 61 is Java 17
        assertThat(classFileMajorVersion(service.execJar(), startClass(service.execJar())))
                .as(
                        "%s: %s's classes are newer than the image's Java %d",
                        dockerfile.file(), service, runtime.majorVersion())
                .isLessThanOrEqualTo(44 + runtime.majorVersion());
    }

    @ParameterizedTest
    @MethodSource("services")
    void runsAsANumericNonRootUserSetBeforeItsEntrypoint(LaunchedService service) {
        Dockerfile dockerfile = dockerfile(service);
        List<Instruction> instructions = dockerfile.finalStage().instructions();
        List<Instruction> users = dockerfile.finalStage().all("USER");
        assertThat(users)
                .as("%s: no USER in the final stage, so the service runs as root", dockerfile.file())
                .isNotEmpty();
        Instruction user = users.get(users.size() - 1);
        String[] uidGid = user.arguments().strip().split(":");
        assertThat(uidGid[0])
                .as(
                        "%s: USER %s should be a numeric uid (Kubernetes checks runAsNonRoot only against numbers)",
                        dockerfile.file(), user.arguments())
                .matches("\\d+");
        assertThat(Integer.parseInt(uidGid[0]))
                .as("%s: USER 0 is root", dockerfile.file())
                .isNotZero();
        if (uidGid.length > 1) {
            assertThat(uidGid[1]).as("%s: USER's group", dockerfile.file()).matches("\\d+");
        }
        Instruction entrypoint = entrypoint(dockerfile);
        assertThat(instructions.indexOf(user))
                .as("%s: USER comes after ENTRYPOINT", dockerfile.file())
                .isLessThan(instructions.indexOf(entrypoint));
    }

    @ParameterizedTest
    @MethodSource("services")
    void copiesFromTheBuildContextOnlyTheJarThatPackageProduces(LaunchedService service) {
        Path jar = service.execJar();
        Dockerfile dockerfile = dockerfile(service);
        Path context = LaunchedService.root(); // docker-compose.kafka.yml and the comments build from the root
        List<String> sources = dockerfile.contextSources();
        assertThat(sources)
                .as("%s copies nothing from the build context", dockerfile.file())
                .isNotEmpty();
        for (String source : sources) {
            assertThat(Dockerfile.match(context, source))
                    .as(
                            "%s: COPY %s should match exactly the jar `./mvnw package` writes, %s",
                            dockerfile.file(), source, context.relativize(jar))
                    .containsExactly(jar);
            assertThat(Dockerfile.inBuildContext(context, context.relativize(jar)))
                    .as("%s: .dockerignore keeps %s out of the build context", dockerfile.file(), source)
                    .isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("services")
    void theRuntimeStageHoldsTheApplicationAndEveryLibraryItsEntrypointNeeds(
            LaunchedService service, @TempDir Path scratch) throws Exception {
        Dockerfile dockerfile = dockerfile(service);
        Path execJar = service.execJar();
        Replay replay = new Replay(dockerfile, scratch);
        Path runtime = replay.build(dockerfile.finalStage());

        List<String> command = entrypointCommand(dockerfile);
        int jarFlag = command.indexOf("-jar");
        assertThat(jarFlag)
                .as("%s: ENTRYPOINT %s has no -jar", dockerfile.file(), command)
                .isPositive();
        Path jar =
                Replay.inside(runtime, replay.workdir(dockerfile.finalStage())).resolve(command.get(jarFlag + 1));
        assertThat(jar)
                .as("%s: the entrypoint's jar is not where the layers put it", dockerfile.file())
                .isRegularFile();
        try (JarFile application = new JarFile(jar.toFile())) {
            Manifest manifest = application.getManifest();
            assertThat(manifest.getMainAttributes().getValue("Main-Class"))
                    .as("%s: the extracted jar starts another class than the service's", dockerfile.file())
                    .isEqualTo(startClass(execJar));
            String classPath = manifest.getMainAttributes().getValue("Class-Path");
            assertThat(classPath)
                    .as("%s: the extracted jar lists no libraries", dockerfile.file())
                    .isNotBlank();
            List<String> missing = new ArrayList<>();
            for (String library : classPath.strip().split("\\s+")) {
                if (!Files.isRegularFile(jar.getParent().resolve(library))) {
                    missing.add(library);
                }
            }
            assertThat(missing)
                    .as(
                            "%s: libraries the application's Class-Path names but no COPY --from put in the image",
                            dockerfile.file())
                    .isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("services")
    void exposesThePortsTheServiceListensOn(LaunchedService service) {
        Dockerfile dockerfile = dockerfile(service);
        Set<Integer> exposed = new TreeSet<>();
        for (Instruction expose : dockerfile.finalStage().all("EXPOSE")) {
            for (String port : expose.words()) {
                exposed.add(Integer.parseInt(port.replaceAll("/(tcp|udp)$", "")));
            }
        }
        assertThat(exposed)
                .as("%s: EXPOSE against %s's ports in %s", dockerfile.file(), service, service.configFile())
                .isEqualTo(service.defaultPorts());
    }

    @ParameterizedTest
    @MethodSource("services")
    void itsEntrypointRunsJavaInExecFormOnAllInterfacesWithAHeapThatFollowsTheContainer(LaunchedService service) {
        Dockerfile dockerfile = dockerfile(service);
        List<String> command = entrypointCommand(dockerfile);
        assertThat(command.get(0))
                .as("%s: ENTRYPOINT %s", dockerfile.file(), command)
                .matches("(.*/)?java");

        Map<String, String> env = dockerfile.finalStage().env();
        String jvmOptions = String.join(" ", command) + " " + env.getOrDefault("JAVA_TOOL_OPTIONS", "") + " "
                + env.getOrDefault("JDK_JAVA_OPTIONS", "");
        assertThat(jvmOptions)
                .as("%s: the heap should be a share of the container's memory limit", dockerfile.file())
                .contains("-XX:MaxRAMPercentage=")
                .doesNotContain("-Xmx")
                .doesNotContain("-XX:-UseContainerSupport");
        assertThat(env.get("SWITCHBOARD_BIND_ADDRESS"))
                .as("%s: the services listen on loopback by default, which no port mapping reaches", dockerfile.file())
                .isEqualTo("0.0.0.0");
    }

    private static Dockerfile dockerfile(LaunchedService service) {
        Path file = service.dir().resolve("Dockerfile");
        assertThat(file).as("%s has no Dockerfile", service).isRegularFile();
        return Dockerfile.parse(file);
    }

    private static Instruction entrypoint(Dockerfile dockerfile) {
        List<Instruction> entrypoints = dockerfile.finalStage().all("ENTRYPOINT");
        assertThat(entrypoints).as("%s has no ENTRYPOINT", dockerfile.file()).isNotEmpty();
        return entrypoints.get(entrypoints.size() - 1);
    }

    private static List<String> entrypointCommand(Dockerfile dockerfile) {
        List<String> command = entrypoint(dockerfile).execForm();
        assertThat(command)
                .as(
                        "%s: ENTRYPOINT in exec form, so java is PID 1 and receives SIGTERM to shut down gracefully",
                        dockerfile.file())
                .isNotNull();
        return command;
    }

    private static String startClass(Path execJar) throws IOException {
        try (JarFile jar = new JarFile(execJar.toFile())) {
            return jar.getManifest().getMainAttributes().getValue("Start-Class");
        }
    }

    private static int classFileMajorVersion(Path execJar, String className) throws IOException {
        try (JarFile jar = new JarFile(execJar.toFile());
                InputStream in = jar.getInputStream(
                        jar.getEntry("BOOT-INF/classes/" + className.replace('.', '/') + ".class"))) {
            byte[] header = in.readNBytes(8); // magic (4 bytes), minor (2), major (2)
            return ((header[6] & 0xff) << 8) | (header[7] & 0xff);
        }
    }

    /**
     * Replays the instructions that decide what files the image holds, each stage in a folder of its own: WORKDIR,
     * COPY (from the build context or {@code --from} another stage) and {@code RUN java ...}, which runs here with
     * this JDK. Any other RUN fails the test: it would change files this replay cannot follow.
     */
    private static final class Replay {

        private final Dockerfile dockerfile;
        private final Path scratch;
        private final Map<Integer, Path> built = new HashMap<>();

        Replay(Dockerfile dockerfile, Path scratch) {
            this.dockerfile = dockerfile;
            this.scratch = scratch;
        }

        /** The stage's root filesystem (only the files the Dockerfile put there). */
        Path build(Stage stage) throws IOException, InterruptedException {
            Path done = built.get(stage.index());
            if (done != null) {
                return done;
            }
            Path root = Files.createDirectories(scratch.resolve("stage-" + stage.index()));
            String workdir = "/";
            for (Instruction instruction : stage.instructions()) {
                switch (instruction.keyword()) {
                    case "WORKDIR" -> {
                        workdir = Path.of(workdir)
                                .resolve(instruction.arguments().strip())
                                .normalize()
                                .toString();
                        Files.createDirectories(inside(root, workdir));
                    }
                    case "COPY" -> copy(instruction, root, workdir);
                    case "RUN" -> run(instruction, inside(root, workdir));
                    default -> {} // metadata only: ENV, USER, EXPOSE, ENTRYPOINT, ...
                }
            }
            built.put(stage.index(), root);
            return root;
        }

        String workdir(Stage stage) {
            String workdir = "/";
            for (Instruction instruction : stage.all("WORKDIR")) {
                workdir = Path.of(workdir)
                        .resolve(instruction.arguments().strip())
                        .normalize()
                        .toString();
            }
            return workdir;
        }

        static Path inside(Path root, String absolute) {
            return root.resolve(absolute.replaceFirst("^/+", ""));
        }

        private void copy(Instruction copy, Path root, String workdir) throws IOException, InterruptedException {
            List<String> words = copy.words();
            String from = words.stream()
                    .filter(word -> word.startsWith("--from="))
                    .map(word -> word.substring("--from=".length()))
                    .findFirst()
                    .orElse(null);
            List<String> operands =
                    words.stream().filter(word -> !word.startsWith("--")).toList();
            String destination = operands.get(operands.size() - 1);
            List<Path> sources = new ArrayList<>();
            for (String source : operands.subList(0, operands.size() - 1)) {
                if (from == null) {
                    sources.addAll(Dockerfile.match(LaunchedService.root(), source));
                } else {
                    Path stageRoot = build(dockerfile.stage(from));
                    Path path = inside(stageRoot, Path.of("/").resolve(source).toString());
                    assertThat(path)
                            .as("%s: COPY --from=%s %s: the stage has no such file", dockerfile.file(), from, source)
                            .exists();
                    sources.add(path);
                }
            }
            assertThat(sources)
                    .as("%s: COPY %s matches nothing", dockerfile.file(), copy.arguments())
                    .isNotEmpty();
            Path target = inside(
                    root, Path.of(workdir).resolve(destination).normalize().toString());
            boolean intoFolder = destination.endsWith("/") || sources.size() > 1 || Files.isDirectory(sources.get(0));
            for (Path source : sources) {
                if (Files.isDirectory(source)) {
                    copyContents(source, target); // Docker copies a folder's contents, not the folder
                } else if (intoFolder) {
                    Files.createDirectories(target);
                    Files.copy(source, target.resolve(source.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }

        private static void copyContents(Path from, Path to) throws IOException {
            try (Stream<Path> files = Files.walk(from)) {
                for (Path file : files.toList()) {
                    Path copy = to.resolve(from.relativize(file).toString());
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(copy);
                    } else {
                        Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }

        private void run(Instruction run, Path workdir) throws IOException, InterruptedException {
            List<String> command = new ArrayList<>(run.words());
            if (!command.get(0).equals("java")) {
                fail(dockerfile.file() + ": RUN " + run.arguments()
                        + ": this test replays only `RUN java ...`; teach it the new command");
            }
            command.set(
                    0, Path.of(System.getProperty("java.home"), "bin", "java").toString());
            Process process = new ProcessBuilder(command)
                    .directory(workdir.toFile())
                    .redirectErrorStream(true)
                    .start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(2, TimeUnit.MINUTES))
                    .as("RUN %s did not finish", run.arguments())
                    .isTrue();
            assertThat(process.exitValue())
                    .as("%s: RUN %s failed:%n%s", dockerfile.file(), run.arguments(), output)
                    .isZero();
        }
    }
}
