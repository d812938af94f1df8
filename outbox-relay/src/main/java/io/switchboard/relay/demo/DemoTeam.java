package io.switchboard.relay.demo;

import io.switchboard.relay.demo.DemoRow.Expectation;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One source team of the demo ({@code demo/teams.yml}): who it is and the steps of one run of its work, compiled
 * once. {@link #run} lists a run's rows to come; each is rendered when it is written, so {@code {now}} is the time
 * of writing.
 */
public final class DemoTeam {

    /** Which runs a step belongs to. */
    enum Runs {
        ALL,
        NORMAL,
        ANOMALY;

        boolean includes(boolean anomalyRun) {
            return this == ALL || (this == ANOMALY) == anomalyRun;
        }
    }

    /** Appends copies of {@code item} to the array {@code field} until the payload outgrows the limit by half. */
    record Grow(String field, JsonTemplate item) {}

    /** An event to write. */
    record Event(
            String type,
            String aggregateType,
            JsonTemplate aggregateId,
            JsonTemplate payload,
            List<String> channels,
            Expectation expectation,
            Grow grow) {}

    /** An event, or a group of steps; repeated once per {@code each} map, on the runs it belongs to. */
    record Step(String where, Runs runs, List<JsonTemplate> each, Event event, List<Step> steps) {}

    /** A row to come: its step and variables, rendered when it is written. */
    public final class Pending {
        private final Step step;
        private final Map<String, JsonNode> vars;
        private final int run;

        private Pending(Step step, Map<String, JsonNode> vars, int run) {
            this.step = step;
            this.vars = vars;
            this.run = run;
        }

        public String type() {
            return step.event().type();
        }

        /**
         * The row, with {@code {now}} at {@code now}; a growing payload is grown to half as large again as
         * {@code payloadLimit} bytes.
         */
        public DemoRow render(Instant now, int payloadLimit) {
            try {
                Event event = step.event();
                Map<String, JsonNode> all = new LinkedHashMap<>(vars);
                all.put("now", NODES.stringNode(now.toString()));
                JsonNode payload = event.payload().render(all);
                if (!payload.isObject()) {
                    throw new JsonTemplate.TemplateException("the payload must be a JSON object, was " + payload);
                }
                if (event.grow() != null) {
                    grow((ObjectNode) payload, event.grow(), all, payloadLimit);
                }
                return new DemoRow(
                        seed,
                        run,
                        event.type(),
                        event.aggregateType(),
                        event.aggregateId() == null ? null : event.aggregateId().renderText(all),
                        JSON.writeValueAsString(payload),
                        event.channels(),
                        source,
                        event.expectation());
            } catch (JsonTemplate.TemplateException e) {
                throw new InvalidDemoException(where(step) + ": " + e.getMessage());
            }
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final String seed;
    private final String label;
    private final String source;
    private final int cycle;
    private final int every;
    private final Map<String, JsonTemplate> ids;
    private final List<Step> steps;

    DemoTeam(
            String seed,
            String label,
            String source,
            int cycle,
            int every,
            Map<String, JsonTemplate> ids,
            List<Step> steps) {
        this.seed = seed;
        this.label = label;
        this.source = source;
        this.cycle = cycle;
        this.every = every;
        this.ids = Collections.unmodifiableMap(new LinkedHashMap<>(ids)); // in order: an id may use earlier ones
        this.steps = List.copyOf(steps);
    }

    public String seed() {
        return seed;
    }

    public String label() {
        return label;
    }

    public String source() {
        return source;
    }

    /** How many runs pass before the ids that name channels come round again. */
    public int cycle() {
        return cycle;
    }

    /** The team writes a row in every {@code every}'th round of turns only (1: in every round). */
    public int every() {
        return every;
    }

    /**
     * The rows of run {@code run} (from 1), to be rendered when written; an anomaly run has its extra rows.
     * {@code launch} names this start of the relay ({@code {launch}} in the data).
     */
    public List<Pending> run(int run, boolean anomalyRun, String launch) {
        if (run < 1) {
            throw new IllegalArgumentException("runs count from 1, was " + run);
        }
        Map<String, JsonNode> vars = new LinkedHashMap<>();
        vars.put("launch", NODES.stringNode(launch));
        vars.put("run", NODES.numberNode(run));
        vars.put("slot", NODES.numberNode((run - 1) % cycle + 1));
        ids.forEach((name, template) -> {
            try {
                vars.put(name, template.render(vars));
            } catch (JsonTemplate.TemplateException e) {
                throw new InvalidDemoException("team " + seed + ", ids." + name + ": " + e.getMessage());
            }
        });
        List<Pending> out = new ArrayList<>();
        expand(steps, vars, anomalyRun, run, out);
        return out;
    }

    /** All rows of run {@code run}, rendered at {@code now}. */
    public List<DemoRow> rows(int run, boolean anomalyRun, String launch, Instant now, int payloadLimit) {
        return run(run, anomalyRun, launch).stream()
                .map(p -> p.render(now, payloadLimit))
                .toList();
    }

    private void expand(List<Step> list, Map<String, JsonNode> vars, boolean anomalyRun, int run, List<Pending> out) {
        for (Step step : list) {
            if (!step.runs().includes(anomalyRun)) {
                continue;
            }
            for (Map<String, JsonNode> scope : scopes(step, vars)) {
                if (step.event() != null) {
                    out.add(new Pending(step, scope, run));
                } else {
                    expand(step.steps(), scope, anomalyRun, run, out);
                }
            }
        }
    }

    private List<Map<String, JsonNode>> scopes(Step step, Map<String, JsonNode> vars) {
        if (step.each().isEmpty()) {
            return List.of(vars);
        }
        List<Map<String, JsonNode>> scopes = new ArrayList<>();
        for (JsonTemplate item : step.each()) {
            JsonNode values;
            try {
                values = item.render(vars);
            } catch (JsonTemplate.TemplateException e) {
                throw new InvalidDemoException(where(step) + ", each: " + e.getMessage());
            }
            Map<String, JsonNode> scope = new LinkedHashMap<>(vars);
            values.properties().forEach(field -> scope.put(field.getKey(), field.getValue()));
            scopes.add(scope);
        }
        return scopes;
    }

    private String where(Step step) {
        return "team " + seed + ", " + step.where();
    }

    private static void grow(ObjectNode payload, Grow grow, Map<String, JsonNode> vars, int payloadLimit) {
        JsonNode field = payload.get(grow.field());
        if (field == null || !field.isArray()) {
            throw new JsonTemplate.TemplateException(
                    "grow.field " + grow.field() + " must name an array of the payload, was " + field);
        }
        ArrayNode items = (ArrayNode) field;
        long target = payloadLimit + payloadLimit / 2L;
        Map<String, JsonNode> scope = new LinkedHashMap<>(vars);
        // compact JSON: each item adds its own bytes and, after the first, a comma
        long size = bytes(payload);
        for (int i = 1; size <= target; i++) {
            scope.put("i", NODES.numberNode(i));
            JsonNode item = grow.item().render(scope);
            size += bytes(item) + (items.isEmpty() ? 0 : 1);
            items.add(item);
        }
    }

    private static int bytes(JsonNode payload) {
        return JSON.writeValueAsString(payload).getBytes(StandardCharsets.UTF_8).length;
    }
}
