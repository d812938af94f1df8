package io.switchboard.relay.demo;

import io.switchboard.relay.demo.DemoRow.Expectation;
import io.switchboard.relay.demo.DemoTeam.Event;
import io.switchboard.relay.demo.DemoTeam.Grow;
import io.switchboard.relay.demo.DemoTeam.Runs;
import io.switchboard.relay.demo.DemoTeam.Step;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The demo's teams, read from {@code demo/teams.yml} (its header explains the format) and checked when loaded: a
 * wrong key, a missing field or a placeholder without its variable stops the relay with a message naming the team
 * and the step.
 */
public final class DemoCatalog {

    /** The built-in scenarios, on the relay's class path. */
    public static final String RESOURCE = "demo/teams.yml";

    /** What each team's frontend subscribes to in the demo (seed: label and channels), beside the scenarios. */
    public static final String FRONTENDS = "demo/frontends.json";

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Set<String> TEAM_KEYS = Set.of("seed", "label", "source", "cycle", "every", "ids", "steps");
    private static final Set<String> STEP_KEYS = Set.of(
            "type", "aggregate_type", "aggregate_id", "payload", "channels", "each", "runs", "expect", "grow", "steps");

    private final List<DemoTeam> teams;

    private DemoCatalog(List<DemoTeam> teams) {
        this.teams = List.copyOf(teams);
    }

    /** The built-in scenarios. */
    public static DemoCatalog load() {
        try (InputStream in = DemoCatalog.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing " + RESOURCE + " on the class path");
            }
            return parse(in, RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Scenarios in the format of {@code demo/teams.yml}; {@code where} names the source in messages. */
    public static DemoCatalog parse(InputStream in, String where) {
        Object document = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
        JsonNode root = JSON.valueToTree(document);
        JsonNode list = root == null ? null : root.get("teams");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw new InvalidDemoException(where + ": needs a non-empty list 'teams'");
        }
        List<DemoTeam> teams = new ArrayList<>();
        Set<String> seeds = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            DemoTeam team = team(list.get(i), where + ": teams[" + i + "]");
            if (!seeds.add(team.seed())) {
                throw new InvalidDemoException(where + ": two teams have seed " + team.seed());
            }
            check(team);
            teams.add(team);
        }
        return new DemoCatalog(teams);
    }

    public List<DemoTeam> teams() {
        return teams;
    }

    private static DemoTeam team(JsonNode node, String where) {
        keys(node, TEAM_KEYS, where);
        String seed = text(node, "seed", where);
        String at = "team " + seed;
        int cycle = atLeastOne(node, "cycle", at);
        int every = atLeastOne(node, "every", at);
        Map<String, JsonTemplate> ids = new LinkedHashMap<>();
        JsonNode idNode = node.get("ids");
        if (idNode != null && !idNode.isNull()) {
            if (!idNode.isObject()) {
                throw new InvalidDemoException(at + ": ids must be a map of name to value");
            }
            idNode.properties().forEach(id -> ids.put(id.getKey(), JsonTemplate.compile(id.getValue())));
        }
        List<Step> steps = steps(node.get("steps"), at + ", steps");
        return new DemoTeam(seed, text(node, "label", at), text(node, "source", at), cycle, every, ids, steps);
    }

    private static List<Step> steps(JsonNode list, String where) {
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw new InvalidDemoException(where + ": needs a non-empty list of steps");
        }
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            steps.add(step(list.get(i), where + "[" + i + "]"));
        }
        return steps;
    }

    private static Step step(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw new InvalidDemoException(where + ": must be a map");
        }
        String at = node.has("type") ? where + " (" + node.get("type").asString() + ")" : where;
        keys(node, STEP_KEYS, at);
        Runs runs = choice(node, "runs", Runs.class, Runs.ALL, at);
        List<JsonTemplate> each = new ArrayList<>();
        JsonNode eachNode = node.get("each");
        if (eachNode != null) {
            if (!eachNode.isArray() || eachNode.isEmpty()) {
                throw new InvalidDemoException(at + ": each must be a non-empty list of maps");
            }
            for (JsonNode item : eachNode) {
                if (!item.isObject()) {
                    throw new InvalidDemoException(at + ": each must be a non-empty list of maps, has " + item);
                }
                each.add(JsonTemplate.compile(item));
            }
        }
        if (node.has("steps")) {
            for (String key :
                    List.of("type", "aggregate_type", "aggregate_id", "payload", "channels", "expect", "grow")) {
                if (node.has(key)) {
                    throw new InvalidDemoException(at + ": a group of steps has no " + key + " of its own");
                }
            }
            return new Step(at, runs, each, null, steps(node.get("steps"), at + ".steps"));
        }
        return new Step(at, runs, each, event(node, at), null);
    }

    private static Event event(JsonNode node, String at) {
        String type = text(node, "type", at);
        JsonNode payload = node.get("payload");
        if (payload == null || !payload.isObject()) {
            throw new InvalidDemoException(at + ": payload must be a map (the event's JSON object)");
        }
        List<String> channels = null;
        if (node.has("channels")) {
            JsonNode list = node.get("channels");
            if (!list.isArray() || list.isEmpty()) {
                throw new InvalidDemoException(at + ": channels must be a non-empty list of channel names");
            }
            channels = new ArrayList<>();
            for (JsonNode channel : list) {
                channels.add(channel.asString());
            }
            channels = List.copyOf(channels);
        }
        Grow grow = null;
        if (node.has("grow")) {
            JsonNode g = node.get("grow");
            keys(g, Set.of("field", "item"), at + ", grow");
            if (!g.has("item")) {
                throw new InvalidDemoException(at + ", grow: needs an item");
            }
            grow = new Grow(text(g, "field", at + ", grow"), JsonTemplate.compile(g.get("item")));
        }
        Expectation expectation = choice(node, "expect", Expectation.class, Expectation.DELIVERED, at);
        if ((expectation == Expectation.TRUNCATED) != (grow != null)) {
            throw new InvalidDemoException(at + ": expect: truncated and grow go together (grow makes the payload"
                    + " larger than the limit, so the router truncates it)");
        }
        return new Event(
                type,
                node.has("aggregate_type") ? node.get("aggregate_type").asString() : null,
                node.has("aggregate_id") ? JsonTemplate.compile(node.get("aggregate_id")) : null,
                JsonTemplate.compile(payload),
                channels,
                expectation,
                grow);
    }

    /** Renders a normal and an anomaly run, so a wrong placeholder stops start-up rather than the first write. */
    private static void check(DemoTeam team) {
        if (team.run(1, false, "check").isEmpty()) {
            throw new InvalidDemoException(
                    "team " + team.seed() + ": a normal run has no rows (every step is" + " runs: anomaly)");
        }
        team.rows(1, false, "check", Instant.EPOCH, 9000);
        team.rows(1, true, "check", Instant.EPOCH, 9000);
    }

    private static void keys(JsonNode node, Set<String> known, String where) {
        if (node == null || !node.isObject()) {
            throw new InvalidDemoException(where + ": must be a map");
        }
        for (String key : node.propertyNames()) {
            if (!known.contains(key)) {
                throw new InvalidDemoException(where + ": unknown key '" + key + "' (known: "
                        + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    private static int atLeastOne(JsonNode node, String key, String where) {
        JsonNode value = node.get(key);
        if (value == null) {
            return 1;
        }
        if (!value.isIntegralNumber() || value.asInt() < 1) {
            throw new InvalidDemoException(where + ": " + key + " must be a whole number of at least 1, was " + value);
        }
        return value.asInt();
    }

    private static String text(JsonNode node, String key, String where) {
        JsonNode value = node.get(key);
        if (value == null || !value.isString() || value.asString().isBlank()) {
            throw new InvalidDemoException(where + ": " + key + " must be a non-blank string");
        }
        return value.asString();
    }

    private static <E extends Enum<E>> E choice(JsonNode node, String key, Class<E> type, E otherwise, String where) {
        JsonNode value = node.get(key);
        if (value == null) {
            return otherwise;
        }
        try {
            return Enum.valueOf(type, value.asString().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            List<String> allowed = new ArrayList<>();
            for (E constant : type.getEnumConstants()) {
                allowed.add(constant.name().toLowerCase(Locale.ROOT));
            }
            throw new InvalidDemoException(where + ": " + key + " must be one of " + allowed + ", was " + value);
        }
    }
}
