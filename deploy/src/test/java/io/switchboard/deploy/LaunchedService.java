package io.switchboard.deploy;

import static org.assertj.core.api.Assertions.fail;

import io.switchboard.testkit.ProjectRoot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * One of the services the launcher runs ({@code services=(...)} in {@code ./switchboard}), as its module describes
 * it: its Spring configuration ({@code src/main/resources/<service>.yml}), the environment variables it reads and the
 * jar {@code package} produces. The deployment files are checked against these, never against a copy of them.
 */
public record LaunchedService(String name, Path dir) {

    static final YAMLMapper YAML = YAMLMapper.builder().build();

    /** {@code ${NAME} or ${NAME:default}}: an environment variable a service reads (upper case, as section 6 names them). */
    private static final Pattern ENV_PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]");

    /** A whole value that is one Spring placeholder, {@code ${NAME:default}}. */
    private static final Pattern SPRING_VALUE = Pattern.compile("\\$\\{([^:}]+)(?::(.*))?}");

    public static Path root() {
        return ProjectRoot.path();
    }

    /** The launcher's list: the services {@code ./switchboard dev} starts, each a module with an executable jar. */
    public static List<LaunchedService> all() {
        String launcher = read(root().resolve("switchboard"));
        Matcher list = Pattern.compile("(?m)^services=\\(([^)]*)\\)").matcher(launcher);
        if (!list.find()) {
            fail("./switchboard no longer declares services=(...): the deployment tests take the service list from it");
        }
        return Arrays.stream(list.group(1).trim().split("\\s+"))
                .map(name -> new LaunchedService(name, root().resolve(name)))
                .toList();
    }

    public static LaunchedService named(String name) {
        return all().stream()
                .filter(service -> service.name.equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError(name + " is not one of the launcher's services " + all()));
    }

    public Path configFile() {
        return dir.resolve("src/main/resources/" + name + ".yml");
    }

    public JsonNode config() {
        return YAML.readTree(read(configFile()));
    }

    /** The HTTP port: server.port, its placeholder resolved against {@code env} (empty: the service's default). */
    int serverPort(Map<String, String> env) {
        return port(config().path("server").path("port"), env)
                .orElseThrow(() -> new AssertionError(configFile() + " has no server.port"));
    }

    /** Actuator's own port (management.server.port), when the service has one. */
    Optional<Integer> managementPort(Map<String, String> env) {
        return port(config().path("management").path("server").path("port"), env);
    }

    /** Where /actuator/health answers: the management port when there is one, else the HTTP port. */
    int actuatorPort(Map<String, String> env) {
        return managementPort(env).orElseGet(() -> serverPort(env));
    }

    /** Every port the service listens on by default (what its image should EXPOSE). */
    Set<Integer> defaultPorts() {
        Set<Integer> ports = new TreeSet<>();
        ports.add(serverPort(Map.of()));
        managementPort(Map.of()).ifPresent(ports::add);
        return ports;
    }

    /**
     * The environment variables the service reads: every upper-case placeholder in its configuration files and in
     * its own code ({@code @Value("${REDIS_URL:}")}), and in those of the project's modules it is built with
     * (kafka-support's {@code SWITCHBOARD_INSTANCE_ID}).
     */
    public Set<String> environmentVariablesRead() {
        Set<String> names = new TreeSet<>(placeholders(dir));
        for (String module : projectModulesUsed()) {
            names.addAll(placeholders(root().resolve(module)));
        }
        return names;
    }

    /** The project's modules this service's jar carries: its io.switchboard dependencies outside the test scope. */
    public List<String> projectModulesUsed() {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document pom =
                    factory.newDocumentBuilder().parse(dir.resolve("pom.xml").toFile());
            NodeList dependencies = pom.getElementsByTagName("dependency");
            List<String> modules = new ArrayList<>();
            for (int i = 0; i < dependencies.getLength(); i++) {
                Element dependency = (Element) dependencies.item(i);
                if (dependency.getParentNode().getParentNode().getNodeName().equals("dependencyManagement")) {
                    continue;
                }
                String scope = text(dependency, "scope");
                if ("io.switchboard".equals(text(dependency, "groupId")) && !"test".equals(scope)) {
                    modules.add(text(dependency, "artifactId"));
                }
            }
            return modules;
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw new AssertionError("cannot read " + dir.resolve("pom.xml"), e);
        }
    }

    private static String text(Element parent, String child) {
        NodeList nodes = parent.getElementsByTagName(child);
        return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent().trim();
    }

    private static Set<String> placeholders(Path module) {
        Set<String> names = new TreeSet<>();
        List<Path> sources = Stream.of("src/main/resources", "src/main/java")
                .map(module::resolve)
                .filter(Files::isDirectory)
                .toList();
        for (Path source : sources) {
            try (Stream<Path> files = Files.walk(source)) {
                files.filter(Files::isRegularFile)
                        .filter(file -> file.toString().matches(".*\\.(ya?ml|properties|java)"))
                        .forEach(file -> {
                            Matcher placeholder = ENV_PLACEHOLDER.matcher(read(file));
                            while (placeholder.find()) {
                                names.add(placeholder.group(1));
                            }
                        });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return names;
    }

    /** The jar {@code ./mvnw package} writes (the launcher's jar_of); fails, never skips, when there is none. */
    Path execJar() {
        Path target = dir.resolve("target");
        List<Path> jars;
        try (Stream<Path> files = Files.exists(target) ? Files.list(target) : Stream.empty()) {
            jars = files.filter(file -> file.getFileName().toString().matches(Pattern.quote(name) + "-.*-exec\\.jar"))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (jars.size() != 1) {
            fail("expected one " + name + "/target/" + name + "-*-exec.jar, found " + jars
                    + ": run `./mvnw package -pl " + name + " -am` (./mvnw verify packages it before this module)"
                    + (jars.isEmpty() ? "" : " after `./mvnw clean`"));
        }
        return jars.get(0);
    }

    private static Optional<Integer> port(JsonNode value, Map<String, String> env) {
        if (value.isMissingNode() || value.isNull()) {
            return Optional.empty();
        }
        return Optional.of(Integer.parseInt(resolve(value.asString(), env)));
    }

    /** A Spring value: {@code ${NAME:default}} becomes env's NAME or the default; anything else stays as it is. */
    static String resolve(String value, Map<String, String> env) {
        Matcher placeholder = SPRING_VALUE.matcher(value.trim());
        if (!placeholder.matches()) {
            return value.trim();
        }
        String fromEnv = env.get(placeholder.group(1));
        if (fromEnv != null) {
            return fromEnv;
        }
        if (placeholder.group(2) == null) {
            throw new AssertionError(value + " has no default and the environment does not set it");
        }
        return placeholder.group(2);
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
