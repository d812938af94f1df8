package io.switchboard.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.testkit.ProjectRoot;
import io.switchboard.testkit.TestDatabase;
import io.switchboard.testkit.pipeline.ServiceProcess;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ./switchboard dev --rate 10} as a developer runs it (issue 16), as its own process group, with every port it
 * opens moved to a free one (a broker on 9092 or the tests' Soketi on 6001 may be running): the "where to look" lines
 * name those ports and answer, the console's feed shows events of all five demo teams, the grouped subscriber prints
 * each team's label, and Ctrl-C (SIGINT to the process group, as a terminal sends it) stops everything it started:
 * every port closed, no process left.
 *
 * <p>It runs the jars {@code ./mvnw verify} has just packaged: with {@code SWITCHBOARD_NO_BUILD=1} the launcher stops
 * with the reason instead of building (a second Maven inside this one). Its logs stay in {@code target/dev-stack}.
 */
class DevStackIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;]*m");
    private static final Path DIR = Path.of("target", "dev-stack").toAbsolutePath();
    private static final List<String> SERVICES =
            List.of("outbox-relay", "router-service", "publisher-service", "gateway-service");
    private static final String PREFIX = "[switchboard] ";

    private final Path root = ProjectRoot.path();
    private final List<String> output = new CopyOnWriteArrayList<>();
    private TestDatabase db;
    private Process launcher;
    private Thread reader;
    private boolean ownGroup;

    /** The ports of one run; Kafka's controller listens on the broker's port + 1 (scripts/kafka.sh). */
    record Ports(int relay, int router, int publisher, int gateway, int management, int kafka, int soketi) {

        Map<String, Integer> byName() {
            Map<String, Integer> ports = new LinkedHashMap<>();
            ports.put("RELAY_PORT", relay);
            ports.put("ROUTER_PORT", router);
            ports.put("PUBLISHER_PORT", publisher);
            ports.put("GATEWAY_PORT", gateway);
            ports.put("GATEWAY_MANAGEMENT_PORT", management);
            ports.put("KAFKA_PORT", kafka);
            ports.put("Kafka's controller (KAFKA_PORT + 1)", kafka + 1);
            ports.put("SOKETI_PORT", soketi);
            return ports;
        }

        int of(String service) {
            return switch (service) {
                case "outbox-relay" -> relay;
                case "router-service" -> router;
                case "publisher-service" -> publisher;
                case "gateway-service" -> gateway;
                default -> throw new IllegalArgumentException(service);
            };
        }
    }

    @Test
    void devRunsTheDemoOnTheGivenPortsAndCtrlCStopsEverythingItStarted() throws Exception {
        for (String service : SERVICES) {
            ServiceProcess.jar(root, service); // fails with "run ./switchboard build first" when one is missing
        }
        Map<String, Team> teams = teams();
        Ports ports = freePorts();
        db = TestDatabase.postgres();
        start(ports);

        awaitOrReport("the launcher's \"running\" line", Duration.ofMinutes(4), () -> {
            assertRunning();
            return output.contains(PREFIX + "running; Ctrl-C stops everything");
        });

        // where to look: each URL on the port it was given, and answering
        List<String> where = whereToLook();
        int g = ports.gateway();
        assertThat(where)
                .as("where to look")
                .anyMatch(l -> l.startsWith("console     http://127.0.0.1:" + g + "/console/ "))
                .anyMatch(l -> l.startsWith("browsers    http://127.0.0.1:" + g + "/api/realtime/pusher/auth "))
                .anyMatch(l -> l.equals(actuator("outbox-relay", ports.relay())))
                .anyMatch(l -> l.equals(actuator("router     ", ports.router())))
                .anyMatch(l -> l.equals(actuator("publisher  ", ports.publisher())))
                .anyMatch(l -> l.equals(actuator("gateway    ", ports.management())))
                .anyMatch(l -> l.startsWith("Kafka       127.0.0.1:" + ports.kafka() + " "))
                .anyMatch(l -> l.equals("Pusher      127.0.0.1:" + ports.soketi()));
        Set<Integer> shown = new TreeSet<>();
        Matcher port = Pattern.compile("127\\.0\\.0\\.1:(\\d+)").matcher(String.join("\n", where));
        while (port.find()) {
            shown.add(Integer.parseInt(port.group(1)));
        }
        assertThat(shown)
                .as("every port where to look names")
                .containsExactlyInAnyOrder(
                        ports.relay(),
                        ports.router(),
                        ports.publisher(),
                        ports.gateway(),
                        ports.management(),
                        ports.kafka(),
                        ports.soketi());
        Matcher url = Pattern.compile("http://127\\.0\\.0\\.1:\\d+/(console|actuator)/\\S*")
                .matcher(String.join("\n", where));
        int urls = 0;
        while (url.find()) {
            assertThat(get(url.group()).statusCode()).as("GET %s", url.group()).isEqualTo(200);
            urls++;
        }
        assertThat(urls).as("console and actuator URLs").isEqualTo(9);

        // the console's live view watches the first channel of each team in frontends.json
        assertThat(json(g, "/console/api/live").path("channels").values())
                .extracting(JsonNode::asString)
                .containsExactlyElementsOf(
                        teams.values().stream().map(t -> t.channels().get(0)).toList());

        // the console's feed: events that Pusher accepted, on channels of each of the five teams
        Set<String> seen = ConcurrentHashMap.newKeySet();
        long[] cursor = {0};
        awaitOrReport("events of all five teams in the console's feed", Duration.ofSeconds(90), () -> {
            JsonNode feed = json(g, "/console/api/feed?after=" + cursor[0]);
            cursor[0] = feed.path("cursor").asLong();
            for (JsonNode event : feed.path("events")) {
                for (JsonNode channel : event.path("channels")) {
                    teams.forEach((seed, team) -> {
                        if (team.channels().contains(channel.asString())) {
                            seen.add(seed);
                        }
                    });
                }
            }
            return seen.containsAll(teams.keySet());
        });

        // the grouped subscriber: all channels authorized by the gateway, each team's label, the router's counters
        int channels =
                teams.values().stream().mapToInt(t -> t.channels().size()).sum();
        awaitOrReport(
                "each team's label in the grouped subscriber's output",
                Duration.ofSeconds(30),
                () -> output.contains("[frontends] subscribed to all " + channels
                                + " channels through the gateway; events are grouped every 2 s")
                        && teams.entrySet().stream()
                                .allMatch(t -> output.contains(
                                        t.getKey() + "  " + t.getValue().label()))
                        && output.stream().anyMatch(l -> l.startsWith("router so far: ")));

        long session = launcher.pid();
        Map<String, List<Long>> started = started(ports);
        assertThat(started)
                .allSatisfy((what, pids) ->
                        assertThat(pids).as("%s is running", what).isNotEmpty());
        assertThat(session(session))
                .as("the launcher's session holds what it started")
                .containsAll(started.values().stream().flatMap(List::stream).toList());

        // Ctrl-C, as a terminal sends it: SIGINT to the whole process group
        signalGroup("INT");
        assertThat(launcher.waitFor(2, TimeUnit.MINUTES))
                .as(() -> "the launcher stopped within 2 minutes of Ctrl-C\n" + report())
                .isTrue();
        assertThat(launcher.exitValue()).as(this::report).isEqualTo(130);
        assertThat(output).as(this::report).contains(PREFIX + "stopped everything this command started");

        ports.byName()
                .forEach((name, p) -> assertThat(listening(p))
                        .as("%s %d is closed once the launcher returned", name, p)
                        .isFalse());
        List<Long> running = processes().stream().map(Proc::pid).toList();
        started.forEach((what, pids) -> assertThat(running)
                .as("%s is gone once the launcher returned", what)
                .doesNotContainAnyElementsOf(pids));
        assertThat(started(ports))
                .as("processes of this run by their command lines")
                .allSatisfy((what, pids) -> assertThat(pids).as(what).isEmpty());
        // and nothing else it started: `tail --pid` (the subscriber's stdin) ends within a second of the launcher
        awaitOrReport(
                "no process left in the launcher's session",
                Duration.ofSeconds(10),
                () -> session(session).isEmpty());
    }

    @AfterEach
    void stopWhatIsLeft() throws Exception {
        try {
            if (launcher != null && launcher.isAlive()) {
                if (ownGroup) {
                    signalGroup("INT");
                    if (!launcher.waitFor(2, TimeUnit.MINUTES)) {
                        signalGroup("KILL");
                    }
                } else {
                    launcher.destroyForcibly();
                }
                launcher.waitFor(30, TimeUnit.SECONDS);
            }
            if (ownGroup && !session(launcher.pid()).isEmpty()) {
                // whatever a failed run left in its group (the broker and Soketi would keep their ports)
                signalGroup("KILL");
            }
        } finally {
            if (db != null) {
                db.close();
            }
        }
    }

    private void start(Ports ports) throws IOException {
        // a fresh broker and fresh logs; Kafka's resolved classpath is kept for the next run
        deleteTree(DIR.resolve("kafka/data"));
        deleteTree(DIR.resolve("logs"));
        deleteTree(DIR.resolve("soketi"));
        Files.createDirectories(DIR);

        // setsid: the launcher leads a process group and session of its own, as in a terminal, so Ctrl-C can go to
        // the whole group, and what it leaves behind can be found by the session
        ProcessBuilder builder = new ProcessBuilder(
                        "setsid", root.resolve("switchboard").toString(), "dev", "--rate", "10")
                .directory(root.toFile())
                .redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        // nothing of the machine's own configuration: a KAFKA_BOOTSTRAP_SERVERS or PUSHER_KEY there would skip the
        // launcher's own broker or Soketi
        env.keySet()
                .removeIf(name -> Stream.of("SWITCHBOARD_", "PUSHER_", "KAFKA_", "SOKETI_", "SPRING_")
                                .anyMatch(name::startsWith)
                        || name.endsWith("_PORT")
                        || name.equals("DATABASE_URL")
                        || name.equals("SCHEMA_REGISTRY_URL"));
        ports.byName().forEach((name, port) -> {
            if (name.endsWith("_PORT")) {
                env.put(name, Integer.toString(port));
            }
        });
        env.put("DATABASE_URL", db.jdbcUrl());
        env.put("SWITCHBOARD_NO_BUILD", "1");
        env.put("SWITCHBOARD_STATE_DIR", DIR.toString());
        env.put("KAFKA_STATE_DIR", DIR.resolve("kafka").toString());
        env.put("SOKETI_STATE_DIR", DIR.resolve("soketi").toString());
        launcher = builder.start();

        reader = new Thread(this::readOutput, "switchboard-dev");
        reader.setDaemon(true);
        reader.start();
        awaitOrReport("the launcher leading its own process group", Duration.ofSeconds(10), () -> {
            assertRunning();
            return processGroup(launcher.pid()) == launcher.pid();
        });
        ownGroup = true;
    }

    /** Fails at once, with what it printed, when the launcher has exited (the jars need a build, a port is taken). */
    private void assertRunning() throws InterruptedException {
        if (!launcher.isAlive()) {
            reader.join(5_000); // its last lines
            throw new AssertionError("the launcher exited with " + launcher.exitValue() + "\n" + report());
        }
    }

    /** The launcher's output (its own lines on stderr, the subscriber's on stdout), without colours. */
    private void readOutput() {
        try (BufferedReader in = launcher.inputReader(StandardCharsets.UTF_8);
                BufferedWriter copy = Files.newBufferedWriter(DIR.resolve("launcher.out"))) {
            String line;
            while ((line = in.readLine()) != null) {
                String plain = ANSI.matcher(line).replaceAll("");
                output.add(plain);
                copy.write(plain);
                copy.newLine();
                copy.flush();
            }
        } catch (IOException e) {
            output.add("(DevStackIT: reading the launcher's output failed: " + e + ")");
        }
    }

    /** The lines after "where to look:", without the "[switchboard]   " before each. */
    private List<String> whereToLook() {
        List<String> printed = List.copyOf(output);
        int from = printed.indexOf(PREFIX + "where to look:");
        assertThat(from).as(this::report).isNotNegative();
        List<String> lines = new ArrayList<>();
        for (String line : printed.subList(from + 1, printed.size())) {
            if (!line.startsWith(PREFIX + "  ")) {
                break;
            }
            lines.add(line.substring(PREFIX.length() + 2));
        }
        return lines;
    }

    private static String actuator(String name, int port) {
        String base = "http://127.0.0.1:" + port + "/actuator/";
        return name + " " + base + "health  " + base + "prometheus";
    }

    /**
     * What this run started, found by what only it has: the services' jars with their ports, the broker's properties
     * file, Soketi's pid file, the subscriber's Soketi port.
     */
    private Map<String, List<Long>> started(Ports ports) throws IOException {
        List<Proc> all = processes();
        Map<String, List<Long>> started = new LinkedHashMap<>();
        for (String service : SERVICES) {
            Path target = root.resolve(service).resolve("target");
            started.put(
                    service,
                    pids(
                            all,
                            args -> args.stream()
                                            .anyMatch(a -> a.startsWith(target + "/" + service + "-")
                                                    && a.endsWith("-exec.jar"))
                                    && args.contains("--server.port=" + ports.of(service))));
        }
        String properties = DIR.resolve("kafka/server.properties").toString();
        started.put("Kafka", pids(all, args -> args.contains("kafka.Kafka") && args.contains(properties)));
        Path soketi = DIR.resolve("soketi/pid"); // scripts/soketi.sh removes it when it stops Soketi
        started.put(
                "Soketi",
                Files.exists(soketi)
                        ? List.of(Long.parseLong(Files.readString(soketi).strip()))
                        : List.of());
        String subscriber = root.resolve("scripts/node/subscriber.js").toString();
        started.put(
                "the subscriber",
                pids(all, args -> args.contains(subscriber) && args.contains("--port=" + ports.soketi())));
        return started;
    }

    /** A process as /proc shows it (pgrep -f would see only the first 4 KB of a command line: Kafka's is longer). */
    record Proc(long pid, long session, List<String> args) {}

    /** The processes running now (a zombie, ended but not yet reaped, is not). */
    private static List<Proc> processes() throws IOException {
        List<Proc> all = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(
                Path.of("/proc"), dir -> dir.getFileName().toString().matches("\\d+"))) {
            for (Path dir : dirs) {
                try {
                    String stat = Files.readString(dir.resolve("stat"));
                    // after the command name (in parentheses, may hold spaces): state, ppid, pgrp, session
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    if (fields[0].equals("Z")) {
                        continue;
                    }
                    long session = Long.parseLong(fields[3]);
                    String cmdline = new String(Files.readAllBytes(dir.resolve("cmdline")), StandardCharsets.UTF_8);
                    all.add(new Proc(
                            Long.parseLong(dir.getFileName().toString()), session, List.of(cmdline.split("\0"))));
                } catch (IOException | RuntimeException exited) {
                    // it ended while we looked
                }
            }
        }
        return all;
    }

    private static List<Long> pids(List<Proc> all, Predicate<List<String>> args) {
        return all.stream().filter(p -> args.test(p.args())).map(Proc::pid).toList();
    }

    /** The processes of the launcher's session: all it started, since none of them starts a session of its own. */
    private static List<Long> session(long sid) throws IOException {
        return processes().stream()
                .filter(p -> p.session() == sid)
                .map(Proc::pid)
                .toList();
    }

    private static long processGroup(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        // after the command name (in parentheses, may hold spaces): state, ppid, pgrp
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[2]);
    }

    private void signalGroup(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, "--", "-" + launcher.pid())
                .redirectErrorStream(true)
                .start();
        kill.getInputStream().readAllBytes(); // "no such process" once the group is gone: nothing to do
        kill.waitFor(10, TimeUnit.SECONDS);
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(int port, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = get("http://127.0.0.1:" + port + path);
        assertThat(response.statusCode())
                .as("GET %s: %s", path, response.body())
                .isEqualTo(200);
        return JSON.readTree(response.body());
    }

    record Team(String label, List<String> channels) {}

    /** The demo's teams, as the subscriber reads them: seed to label and channels, in the file's order. */
    private Map<String, Team> teams() throws IOException {
        JsonNode file =
                JSON.readTree(Files.readString(root.resolve("outbox-relay/src/main/resources/demo/frontends.json")));
        Map<String, Team> teams = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> team : file.properties()) {
            teams.put(
                    team.getKey(),
                    new Team(
                            team.getValue().path("label").asString(),
                            team.getValue().path("channels").values().stream()
                                    .map(JsonNode::asString)
                                    .toList()));
        }
        assertThat(teams).as("frontends.json").hasSize(5);
        return teams;
    }

    /** Seven free ports, and Kafka's next to a free one (its controller's). */
    private static Ports freePorts() throws IOException {
        List<ServerSocket> held = new ArrayList<>();
        try {
            int[] ports = new int[6];
            for (int i = 0; i < ports.length; i++) {
                ServerSocket socket = new ServerSocket(0);
                held.add(socket);
                ports[i] = socket.getLocalPort();
            }
            for (int attempt = 0; attempt < 50; attempt++) {
                ServerSocket kafka = new ServerSocket(0);
                held.add(kafka);
                try {
                    held.add(new ServerSocket(kafka.getLocalPort() + 1));
                    return new Ports(ports[0], ports[1], ports[2], ports[3], ports[4], kafka.getLocalPort(), ports[5]);
                } catch (IOException taken) {
                    // its next port is in use: another
                }
            }
            throw new IllegalStateException("no two consecutive free ports for Kafka");
        } finally {
            for (ServerSocket socket : held) {
                socket.close();
            }
        }
    }

    private void awaitOrReport(String what, Duration atMost, Callable<Boolean> condition) {
        try {
            await(what)
                    .atMost(atMost)
                    .pollInterval(Duration.ofMillis(500))
                    .ignoreExceptionsMatching(e -> e instanceof IOException)
                    .until(condition);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("no " + what + " within " + atMost + "\n" + report(), e);
        }
    }

    /** The launcher's last lines and each service's last log lines, for a failure message. */
    private String report() {
        StringBuilder report = new StringBuilder("the launcher printed (last 60 lines; all in ")
                .append(DIR.resolve("launcher.out"))
                .append("):\n");
        List<String> printed = List.copyOf(output);
        printed.subList(Math.max(0, printed.size() - 60), printed.size())
                .forEach(l -> report.append("  ").append(l).append('\n'));
        for (String service : SERVICES) {
            Path log = DIR.resolve("logs").resolve(service + ".log");
            if (Files.exists(log)) {
                try {
                    List<String> lines = Files.readAllLines(log);
                    report.append(log).append(" (last 15 lines):\n");
                    lines.subList(Math.max(0, lines.size() - 15), lines.size())
                            .forEach(l -> report.append("  ").append(l).append('\n'));
                } catch (IOException | UncheckedIOException e) {
                    report.append(log).append(": ").append(e.getMessage()).append('\n');
                }
            }
        }
        return report.toString();
    }

    private static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> files = Files.walk(path)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
