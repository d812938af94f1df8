package io.switchboard.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * docker-compose.kafka.yml, the whole stack for those with Docker, checked without Docker (the project's machines have
 * no engine): read as compose reads it with an empty host environment (so every {@code ${VAR:-default}} takes its
 * default), and compared with what the services themselves declare: the launcher's service list, each service's
 * configuration file and code (ports, the variables it reads), section 6 of the contracts, their Dockerfiles.
 */
class ComposeFileTest {

    private static final Path ROOT = LaunchedService.root();
    private static final Path COMPOSE_FILE = ROOT.resolve("docker-compose.kafka.yml");

    /** Compose's interpolation: {@code $$}, {@code ${NAME}}, {@code ${NAME:-default}}, {@code ${NAME-default}}. */
    private static final Pattern INTERPOLATION =
            Pattern.compile("\\$\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?}");

    /** A URL-shaped value: scheme://host[:port], JDBC URLs included. */
    private static final Pattern URL = Pattern.compile("(?:jdbc:)?[a-z][a-z0-9+.-]*://([^/:?,]+)(?::(\\d+))?.*");

    private static Map<String, JsonNode> services;

    @BeforeAll
    static void readTheComposeFile() {
        JsonNode compose = LaunchedService.YAML.readTree(LaunchedService.read(COMPOSE_FILE));
        services = new LinkedHashMap<>();
        compose.path("services").properties().forEach(entry -> services.put(entry.getKey(), entry.getValue()));
        assertThat(services).as("%s declares no services", COMPOSE_FILE).isNotEmpty();
    }

    @Test
    void everyServiceRunsAPinnedImageOrOneBuiltFromADockerfileThatExists() {
        services.forEach((name, service) -> {
            JsonNode build = service.path("build");
            if (build.isMissingNode()) {
                String image = service.path("image").asString("");
                assertThat(image)
                        .as("service %s has neither image nor build", name)
                        .isNotEmpty();
                assertThat(ImageReference.parse(image).pinned())
                        .as("service %s: image %s is not pinned to a release (a version tag or a digest)", name, image)
                        .isTrue();
            } else {
                Path dockerfile = dockerfileOf(name);
                assertThat(dockerfile)
                        .as("service %s builds from %s, which does not exist", name, dockerfile)
                        .isRegularFile();
            }
        });
    }

    @Test
    void theLaunchersServicesAreEachBuiltFromTheirOwnDockerfileWithTheJarItCopies() {
        Map<String, String> builtFrom = new TreeMap<>();
        services.forEach((name, service) -> {
            if (service.has("build")) {
                builtFrom.put(name, ROOT.relativize(dockerfileOf(name)).toString());
            }
        });
        Map<String, String> expected = new TreeMap<>();
        LaunchedService.all().forEach(s -> expected.put(s.name(), s.name() + "/Dockerfile"));
        assertThat(builtFrom)
                .as("compose services built from this repository, against the launcher's services")
                .isEqualTo(expected);

        for (LaunchedService service : LaunchedService.all()) {
            Path context = contextOf(service.name());
            for (String source : Dockerfile.parse(dockerfileOf(service.name())).contextSources()) {
                assertThat(Dockerfile.match(context, source))
                        .as(
                                "service %s: its Dockerfile copies %s, which its build context %s does not hold"
                                        + " (after `./mvnw package`)",
                                service, source, context)
                        .containsExactly(service.execJar());
            }
        }
    }

    @Test
    void publishedPortsAreUniqueAndOnTheHostsLoopbackOnly() {
        Map<Integer, String> owners = new HashMap<>();
        services.forEach((name, service) -> {
            for (Published port : published(service)) {
                assertThat(port.hostIp())
                        .as(
                                "service %s publishes %d on every interface of the host; this stack is for one machine",
                                name, port.host())
                        .isEqualTo("127.0.0.1");
                String other = owners.put(port.host(), name);
                assertThat(other)
                        .as("host port %d is published by both %s and %s", port.host(), other, name)
                        .isNull();
            }
        });
    }

    @Test
    void eachServiceListensAndIsPublishedOnThePortItsConfigurationNames() {
        for (LaunchedService service : LaunchedService.all()) {
            Map<String, String> env = environment(service.name());
            int configured = service.serverPort(env);
            assertThat(configured)
                    .as(
                            "%s: compose moves its port from the default every document quotes (%s)",
                            service, service.configFile())
                    .isEqualTo(service.serverPort(Map.of()));
            assertThat(published(services.get(service.name())))
                    .as("%s: published ports", service)
                    .contains(new Published("127.0.0.1", configured, configured));
            assertThat(environment(service.name())
                            .getOrDefault(
                                    "SWITCHBOARD_BIND_ADDRESS",
                                    Dockerfile.parse(dockerfileOf(service.name()))
                                            .finalStage()
                                            .env()
                                            .get("SWITCHBOARD_BIND_ADDRESS")))
                    .as("%s: on loopback its published port reaches nothing", service)
                    .isEqualTo("0.0.0.0");
        }
    }

    @Test
    void eachServiceIsGivenTheContractVariablesItReadsAndNoneItIgnores() {
        Set<String> contract = contractVariables();
        for (LaunchedService service : LaunchedService.all()) {
            Set<String> reads = new TreeSet<>(service.environmentVariablesRead());
            reads.retainAll(contract);
            Set<String> given = new TreeSet<>(environment(service.name()).keySet());
            given.retainAll(contract);
            assertThat(given)
                    .as(
                            "%s: the contract variables (section 6) compose sets, against those its configuration and"
                                    + " code read",
                            service)
                    .isEqualTo(reads);
        }
    }

    @Test
    void addressesNameComposeServicesOnPortsTheyListenOn() {
        for (Address address : addresses()) {
            JsonNode target = services.get(address.host());
            assertThat(target)
                    .as(
                            "service %s: %s points at %s, which is not a service of this file%s",
                            address.from(),
                            address.variable(),
                            address.host(),
                            address.host().matches("127\\.0\\.0\\.1|localhost|::1")
                                    ? " (inside a container, loopback is that container)"
                                    : "")
                    .isNotNull();
            assertThat(containerPorts(address.host()))
                    .as(
                            "service %s: %s=%s:%d, a port %s does not listen on",
                            address.from(), address.variable(), address.host(), address.port(), address.host())
                    .contains(address.port());
            String advertised = environment(address.host()).get("KAFKA_ADVERTISED_LISTENERS");
            if (address.bootstrap() && advertised != null) {
                assertThat(advertised)
                        .as(
                                "service %s: Kafka tells clients of %s:%d to connect to the advertised address of that"
                                        + " listener, which must be the same",
                                address.from(), address.host(), address.port())
                        .contains("//" + address.host() + ":" + address.port());
            }
        }
    }

    @Test
    void aServiceWaitsForTheServicesItsAddressesNameToBeHealthy() {
        for (Address address : addresses()) {
            if (!services.containsKey(address.host())) {
                continue; // an address of no service fails addressesNameComposeServicesOnPortsTheyListenOn
            }
            JsonNode condition = services.get(address.from())
                    .path("depends_on")
                    .path(address.host())
                    .path("condition");
            assertThat(condition.asString(""))
                    .as(
                            "service %s uses %s (%s) but does not wait for it to be healthy",
                            address.from(), address.host(), address.variable())
                    .isEqualTo("service_healthy");
        }
    }

    @Test
    void everyDependencyExistsAndThoseAwaitedHealthyHaveAHealthCheck() {
        services.forEach((name, service) -> {
            JsonNode dependsOn = service.path("depends_on");
            List<String> targets = new ArrayList<>();
            if (dependsOn.isArray()) {
                dependsOn.values().forEach(target -> targets.add(target.asString()));
            } else {
                targets.addAll(dependsOn.propertyNames());
            }
            for (String target : targets) {
                assertThat(services)
                        .as("service %s depends on %s, which does not exist", name, target)
                        .containsKey(target);
                if ("service_healthy"
                        .equals(dependsOn.path(target).path("condition").asString(""))) {
                    assertThat(hasHealthCheck(services.get(target)))
                            .as("service %s waits for %s to be healthy, which has no health check", name, target)
                            .isTrue();
                }
            }
        });
    }

    @Test
    void everyServiceHasAHealthCheck() {
        // all of them run for as long as the stack does: none is a one-shot job
        services.forEach((name, service) -> assertThat(hasHealthCheck(service))
                .as("service %s has no health check", name)
                .isTrue());
    }

    @Test
    void theServicesHealthChecksAskActuatorOnItsPort() {
        for (LaunchedService service : LaunchedService.all()) {
            int actuator = service.actuatorPort(environment(service.name()));
            JsonNode test = services.get(service.name()).path("healthcheck").path("test");
            String command = test.isArray()
                    ? test.values().stream().map(JsonNode::asString).collect(Collectors.joining(" "))
                    : test.asString("");
            assertThat(command)
                    .as("%s: its health check should ask Actuator, which listens on %d", service, actuator)
                    .containsPattern("//(127\\.0\\.0\\.1|localhost):" + actuator + "/actuator/health\\b");
        }
    }

    @Test
    void soketiHostsThePusherAppTheServicesSignAndPublishWith() {
        Map<String, String> sameVariable = Map.of(
                "PUSHER_APP_ID", "SOKETI_DEFAULT_APP_ID",
                "PUSHER_KEY", "SOKETI_DEFAULT_APP_KEY",
                "PUSHER_SECRET", "SOKETI_DEFAULT_APP_SECRET");
        int checked = 0;
        for (LaunchedService service : LaunchedService.all()) {
            Map<String, String> raw = rawEnvironment(service.name());
            String host = raw.get("PUSHER_HOST");
            if (host == null) {
                continue;
            }
            Map<String, String> server = rawEnvironment(host);
            sameVariable.forEach((pusher, soketi) -> assertThat(raw.get(pusher))
                    .as(
                            "%s: %s should be written as %s's %s, so that one setting changes both",
                            service, pusher, host, soketi)
                    .isNotNull()
                    .isEqualTo(server.get(soketi)));
            checked++;
        }
        assertThat(checked)
                .as("no service publishes to the compose Pusher server")
                .isPositive();
    }

    /**
     * The console's page runs in a browser on the host, and subscribes where the gateway tells it to: the console's
     * own ws-host and ws-port, which default to PUSHER_HOST and PUSHER_PORT (review of issue 16, item 3). Those name
     * Soketi inside the stack's network ({@code soketi:6001}), which the host cannot resolve; the page must get an
     * address the host reaches: the host's loopback, on the port compose publishes Soketi's on.
     */
    @Test
    void theConsolesPageSubscribesToThePusherServerWhereTheHostReachesIt() {
        int checked = 0;
        for (String name : services.keySet()) {
            Map<String, String> env = environment(name);
            if (!env.containsKey("SWITCHBOARD_CONSOLE_ENABLED")) {
                continue;
            }
            String server = env.get("PUSHER_HOST");
            int serverPort = Integer.parseInt(env.get("PUSHER_PORT"));
            String wsHost = env.getOrDefault("SWITCHBOARD_CONSOLE_WS_HOST", server);
            int wsPort = Integer.parseInt(env.getOrDefault("SWITCHBOARD_CONSOLE_WS_PORT", env.get("PUSHER_PORT")));
            assertThat(wsHost)
                    .as(
                            "service %s: the console's page (in a browser on the host) subscribes at %s"
                                    + " (SWITCHBOARD_CONSOLE_WS_HOST, default PUSHER_HOST), which only containers"
                                    + " resolve; give it the host's loopback",
                            name, wsHost)
                    .isIn("127.0.0.1", "localhost");
            assertThat(published(services.get(server)))
                    .as(
                            "service %s: the console's page subscribes at %s:%d (SWITCHBOARD_CONSOLE_WS_PORT), which"
                                    + " should be where the host reaches %s:%d, the Pusher server the gateway signs"
                                    + " for",
                            name, wsHost, wsPort, server, serverPort)
                    .contains(new Published("127.0.0.1", wsPort, serverPort));
            checked++;
        }
        assertThat(checked)
                .as("no service of %s serves the console", COMPOSE_FILE)
                .isPositive();
    }

    /**
     * A contract setting two services share is one setting: written the same way in each (the same default, the
     * same variable), so that one change reaches both. The relay's demo sizes its oversize row from the router's
     * PUSHER_MAX_PAYLOAD_BYTES, the gateway signs for the app the publisher publishes to, and so on.
     */
    @Test
    void aContractSettingSeveralServicesShareIsWrittenTheSameWayInEach() {
        Set<String> contract = contractVariables();
        Map<String, Map<String, String>> writtenAs = new TreeMap<>();
        for (LaunchedService service : LaunchedService.all()) {
            rawEnvironment(service.name()).forEach((variable, value) -> {
                if (contract.contains(variable)) {
                    writtenAs.computeIfAbsent(variable, v -> new TreeMap<>()).put(service.name(), value);
                }
            });
        }
        writtenAs.forEach((variable, byService) -> assertThat(new TreeSet<>(byService.values()))
                .as("%s is written differently by the services that share it: %s", variable, byService)
                .hasSize(1));
        assertThat(writtenAs.get("PUSHER_MAX_PAYLOAD_BYTES"))
                .as("the relay's demo and the router share the payload limit")
                .containsKeys("outbox-relay", "router-service");
    }

    @Test
    void theOutboxDatabaseUrlLogsInToThePostgresService() {
        String url = environment("outbox-relay").get("DATABASE_URL");
        Matcher jdbc = Pattern.compile("jdbc:postgresql://([^:/]+):(\\d+)/([^?]+)\\?(.*)")
                .matcher(url);
        assertThat(jdbc.matches())
                .as("DATABASE_URL %s is not a Postgres JDBC URL", url)
                .isTrue();
        Map<String, String> query = new HashMap<>();
        for (String pair : jdbc.group(4).split("&")) {
            String[] kv = pair.split("=", 2);
            query.put(kv[0], kv.length > 1 ? kv[1] : "");
        }
        Map<String, String> postgres = environment(jdbc.group(1));
        assertThat(jdbc.group(3)).as("DATABASE_URL's database").isEqualTo(postgres.get("POSTGRES_DB"));
        assertThat(query.get("user")).as("DATABASE_URL's user").isEqualTo(postgres.get("POSTGRES_USER"));
        assertThat(query.get("password"))
                .as("DATABASE_URL's password against POSTGRES_PASSWORD")
                .isEqualTo(postgres.get("POSTGRES_PASSWORD"));
    }

    @Test
    void secretsComeFromTheEnvironmentWithDevelopmentDefaultsNeverWrittenInTheFile() {
        services.keySet()
                .forEach(name -> rawEnvironment(name).forEach((variable, value) -> {
                    boolean secret = variable.matches(".*(SECRET|PASSWORD|TOKEN|MASTER_KEY).*")
                            || value.toLowerCase().contains("password=");
                    if (secret) {
                        assertThat(value)
                                .as(
                                        "service %s: %s is written in the file; use ${%s:-a-dev-default}",
                                        name, variable, variable)
                                .contains("${");
                    }
                }));
    }

    @Test
    void theServicesRunOnAReadOnlyRootFilesystemWithATmpfsForTheirTemporaryFiles() {
        for (LaunchedService service : LaunchedService.all()) {
            JsonNode compose = services.get(service.name());
            assertThat(compose.path("read_only").asBoolean(false))
                    .as("%s: read_only", service)
                    .isTrue();
            List<String> tmpfs = new ArrayList<>();
            if (compose.path("tmpfs").isArray()) {
                compose.path("tmpfs").values().forEach(path -> tmpfs.add(path.asString()));
            } else {
                tmpfs.add(compose.path("tmpfs").asString(""));
            }
            assertThat(tmpfs)
                    .as("%s: java.io.tmpdir (/tmp) must stay writable", service)
                    .contains("/tmp");
        }
    }

    // --- reading the file ------------------------------------------------------------------------------------------

    private static Path contextOf(String service) {
        JsonNode build = services.get(service).path("build");
        String context =
                build.isString() ? build.asString() : build.path("context").asString(".");
        return COMPOSE_FILE.getParent().resolve(context).normalize();
    }

    private static Path dockerfileOf(String service) {
        return contextOf(service)
                .resolve(services.get(service).path("build").path("dockerfile").asString("Dockerfile"))
                .normalize();
    }

    private static boolean hasHealthCheck(JsonNode service) {
        JsonNode healthcheck = service.path("healthcheck");
        JsonNode test = healthcheck.path("test");
        boolean none =
                test.isArray() && test.size() > 0 && test.get(0).asString().equals("NONE");
        return !healthcheck.path("disable").asBoolean(false)
                && !none
                && (test.isArray() ? test.size() > 1 : !test.asString("").isBlank());
    }

    /** The service's environment as written (map or list form), before interpolation. */
    private static Map<String, String> rawEnvironment(String service) {
        JsonNode environment = services.get(service).path("environment");
        Map<String, String> env = new LinkedHashMap<>();
        if (environment.isArray()) {
            environment.values().forEach(entry -> {
                String[] kv = entry.asString().split("=", 2);
                env.put(kv[0], kv.length > 1 ? kv[1] : "");
            });
        } else {
            environment
                    .properties()
                    .forEach(entry -> env.put(entry.getKey(), entry.getValue().asString("")));
        }
        return env;
    }

    /** The environment the container gets when the host sets none of the interpolated variables. */
    private static Map<String, String> environment(String service) {
        Map<String, String> env = new LinkedHashMap<>();
        rawEnvironment(service).forEach((name, value) -> env.put(name, interpolate(value)));
        return env;
    }

    private static String interpolate(String value) {
        Matcher variable = INTERPOLATION.matcher(value);
        StringBuilder out = new StringBuilder();
        while (variable.find()) {
            String replacement =
                    variable.group().equals("$$") ? "$" : variable.group(2) == null ? "" : variable.group(2);
            variable.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        return variable.appendTail(out).toString();
    }

    record Published(String hostIp, int host, int container) {}

    private static List<Published> published(JsonNode service) {
        List<Published> ports = new ArrayList<>();
        for (JsonNode port : service.path("ports").values()) {
            if (port.isObject()) {
                ports.add(new Published(
                        port.path("host_ip").asString(""),
                        Integer.parseInt(port.path("published").asString()),
                        port.path("target").asInt()));
                continue;
            }
            String[] parts = port.asString().replaceAll("/(tcp|udp)$", "").split(":");
            switch (parts.length) {
                case 3 -> ports.add(new Published(parts[0], Integer.parseInt(parts[1]), Integer.parseInt(parts[2])));
                case 2 -> ports.add(new Published("", Integer.parseInt(parts[0]), Integer.parseInt(parts[1])));
                default -> fail("port " + port.asString() + ": publish as 127.0.0.1:HOST:CONTAINER");
            }
        }
        return ports;
    }

    /** Where a service listens inside the network: expose, published targets, *LISTENERS and its own config. */
    private static Set<Integer> containerPorts(String name) {
        JsonNode service = services.get(name);
        Set<Integer> ports = new TreeSet<>();
        service.path("expose").values().forEach(port -> ports.add(Integer.parseInt(port.asString())));
        published(service).forEach(port -> ports.add(port.container()));
        environment(name).forEach((variable, value) -> {
            if (variable.endsWith("LISTENERS") && !variable.contains("ADVERTISED")) {
                Matcher listener = Pattern.compile("://[^:,]*:(\\d+)").matcher(value);
                while (listener.find()) {
                    ports.add(Integer.parseInt(listener.group(1)));
                }
            }
        });
        LaunchedService.all().stream()
                .filter(s -> s.name().equals(name))
                .forEach(s -> ports.add(s.serverPort(environment(name))));
        return ports;
    }

    /** One service's way to reach another, from its environment. */
    record Address(String from, String variable, String host, int port, boolean bootstrap) {}

    /**
     * Every address a service's environment holds: Kafka bootstrap lists ({@code *BOOTSTRAP_SERVERS},
     * {@code *BOOTSTRAPSERVERS}), URL-shaped values (registry, database, Redis) and PUSHER_HOST with PUSHER_PORT.
     * A listener's own bind and advertised addresses ({@code *LISTENERS}) are not addresses of another service.
     */
    private static List<Address> addresses() {
        List<Address> addresses = new ArrayList<>();
        services.keySet().forEach(name -> {
            Map<String, String> env = environment(name);
            env.forEach((variable, value) -> {
                if (value.isBlank() || variable.endsWith("LISTENERS") || variable.endsWith("QUORUM_VOTERS")) {
                    return;
                }
                if (variable.matches(".*BOOTSTRAP_?SERVERS")) {
                    for (String server : value.split(",")) {
                        URI address = URI.create(server.contains("://") ? server.strip() : "kafka://" + server.strip());
                        assertThat(address.getPort())
                                .as("service %s: %s=%s names no port", name, variable, value)
                                .isPositive();
                        addresses.add(new Address(name, variable, address.getHost(), address.getPort(), true));
                    }
                    return;
                }
                Matcher url = URL.matcher(value);
                if (url.matches()) {
                    assertThat(url.group(2))
                            .as("service %s: %s=%s: name the port", name, variable, value)
                            .isNotNull();
                    addresses.add(new Address(name, variable, url.group(1), Integer.parseInt(url.group(2)), false));
                }
            });
            if (env.containsKey("PUSHER_HOST")) {
                addresses.add(new Address(
                        name, "PUSHER_HOST", env.get("PUSHER_HOST"), Integer.parseInt(env.get("PUSHER_PORT")), false));
            }
        });
        assertThat(addresses).as("no service of %s names another", COMPOSE_FILE).isNotEmpty();
        return addresses;
    }

    /**
     * The variables of section 6 of the contracts (../shared/contracts.md, which CI keeps beside the clone): the
     * environment every deployment gives the services.
     */
    private static Set<String> contractVariables() {
        Path contracts = ROOT.getParent().resolve("shared/contracts.md");
        if (!Files.isRegularFile(contracts)) {
            fail(contracts + " is missing: this test checks each service's environment against section 6 of the"
                    + " contracts, kept in ../shared beside the repository (as CI has it)");
        }
        Set<String> variables = new TreeSet<>();
        boolean inSection = false;
        for (String line : LaunchedService.read(contracts).split("\n")) {
            if (line.startsWith("## ")) {
                inSection = line.matches("## 6\\b.*");
            } else if (inSection && line.startsWith("|")) {
                String firstCell = line.split("\\|")[1];
                Matcher name = Pattern.compile("`([A-Z][A-Z0-9_]+)`").matcher(firstCell);
                while (name.find()) {
                    variables.add(name.group(1));
                }
            }
        }
        assertThat(variables)
                .as("no variables found in section 6 of %s", contracts)
                .isNotEmpty();
        return variables;
    }
}
