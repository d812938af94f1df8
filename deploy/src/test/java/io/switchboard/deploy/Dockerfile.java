package io.switchboard.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * A Dockerfile read as Docker reads it, to the extent the tests need: continuation lines joined, comments dropped,
 * global {@code ARG}s substituted into {@code FROM}, instructions grouped by build stage. No Docker engine runs on the
 * project's machines, so this is how the images are checked.
 */
record Dockerfile(Path file, List<Stage> stages) {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)}?");

    record Instruction(String keyword, String arguments) {

        /** The exec form's words ({@code ["java", "-jar", "x.jar"]}), or null for the shell form. */
        List<String> execForm() {
            if (!arguments.startsWith("[")) {
                return null;
            }
            JsonNode array = LaunchedService.YAML.readTree(arguments);
            List<String> words = new ArrayList<>();
            array.values().forEach(word -> words.add(word.asString()));
            return words;
        }

        /** The words, shell-style (double quotes group; no escapes, which none of our files use). */
        List<String> words() {
            List<String> words = new ArrayList<>();
            Matcher word = Pattern.compile("\"([^\"]*)\"|(\\S+)").matcher(arguments);
            while (word.find()) {
                words.add(word.group(1) != null ? word.group(1) : word.group(2));
            }
            return words;
        }
    }

    /** One {@code FROM} and what follows it, up to the next {@code FROM}. */
    record Stage(int index, String image, String name, List<Instruction> instructions) {

        List<Instruction> all(String keyword) {
            return instructions.stream().filter(i -> i.keyword.equals(keyword)).toList();
        }

        /** ENV's variables, {@code KEY=VALUE} pairs (quotes removed) or the old {@code ENV KEY VALUE} form. */
        Map<String, String> env() {
            Map<String, String> env = new LinkedHashMap<>();
            for (Instruction instruction : all("ENV")) {
                Matcher pair = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|\\S*)")
                        .matcher(instruction.arguments);
                boolean any = false;
                while (pair.find()) {
                    any = true;
                    env.put(pair.group(1), pair.group(2).replaceAll("^\"|\"$", ""));
                }
                if (!any) {
                    String[] legacy = instruction.arguments.split("\\s+", 2);
                    env.put(legacy[0], legacy.length > 1 ? legacy[1] : "");
                }
            }
            return env;
        }
    }

    static Dockerfile parse(Path file) {
        List<String> logical = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : LaunchedService.read(file).split("\n", -1)) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || trimmed.isEmpty()) {
                continue; // comments (parser directives too) and blank lines, inside a continuation as well
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            logical.add(current.append(trimmed).toString().strip());
            current.setLength(0);
        }

        Map<String, String> globalArgs = new HashMap<>();
        List<Stage> stages = new ArrayList<>();
        List<Instruction> instructions = null;
        for (String line : logical) {
            String[] parts = line.split("\\s+", 2);
            Instruction instruction = new Instruction(parts[0].toUpperCase(), parts.length > 1 ? parts[1] : "");
            if (instruction.keyword.equals("FROM")) {
                List<String> words = instruction.words();
                String image = substitute(words.get(0), globalArgs);
                String name = words.size() >= 3 && words.get(1).equalsIgnoreCase("AS") ? words.get(2) : null;
                instructions = new ArrayList<>();
                stages.add(new Stage(stages.size(), image, name, instructions));
            } else if (instructions == null) {
                if (instruction.keyword.equals("ARG")) {
                    String[] arg = instruction.arguments.split("=", 2);
                    globalArgs.put(arg[0].strip(), arg.length > 1 ? arg[1].strip() : "");
                } else {
                    throw new AssertionError(file + ": " + instruction.keyword + " before the first FROM");
                }
            } else {
                instructions.add(instruction);
            }
        }
        if (stages.isEmpty()) {
            throw new AssertionError(file + " has no FROM");
        }
        return new Dockerfile(file, List.copyOf(stages));
    }

    /** The files a COPY from the build context names ({@code --from} copies come from another stage, not the context). */
    List<String> contextSources() {
        List<String> sources = new ArrayList<>();
        for (Stage stage : stages) {
            for (Instruction copy : stage.all("COPY")) {
                List<String> words = copy.words();
                if (words.stream().noneMatch(word -> word.startsWith("--from="))) {
                    List<String> operands = words.stream()
                            .filter(word -> !word.startsWith("--"))
                            .toList();
                    sources.addAll(operands.subList(0, operands.size() - 1));
                }
            }
        }
        return sources;
    }

    /** What a COPY source matches in {@code context}: wildcards are allowed in its last segment, as in ours. */
    static List<Path> match(Path context, String source) {
        Path pattern = Path.of(source);
        Path folder = pattern.getParent() == null ? context : context.resolve(pattern.getParent());
        if (pattern.getParent() != null && pattern.getParent().toString().matches(".*[*?\\[].*")) {
            throw new AssertionError(source + ": a wildcard in a folder name is beyond what the tests read");
        }
        PathMatcher name = FileSystems.getDefault().getPathMatcher("glob:" + pattern.getFileName());
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(file -> name.matches(file.getFileName()))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Stage finalStage() {
        return stages.get(stages.size() - 1);
    }

    Stage stage(String nameOrIndex) {
        return stages.stream()
                .filter(s -> nameOrIndex.equals(s.name) || nameOrIndex.equals(String.valueOf(s.index)))
                .findFirst()
                .orElseThrow(() -> new AssertionError(file + " has no stage " + nameOrIndex));
    }

    private static String substitute(String text, Map<String, String> args) {
        Matcher variable = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (variable.find()) {
            String value = args.get(variable.group(1));
            if (value == null) {
                throw new AssertionError(text + " uses " + variable.group(1) + ", which no ARG before FROM declares");
            }
            variable.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        return variable.appendTail(out).toString();
    }

    /**
     * Whether the build context sends {@code relativePath} to the builder, by .dockerignore's rules: the last pattern
     * that matches the path or one of its parent folders decides, a {@code !} pattern including it again.
     */
    static boolean inBuildContext(Path contextRoot, Path relativePath) {
        Path ignoreFile = contextRoot.resolve(".dockerignore");
        if (!ignoreFile.toFile().exists()) {
            return true;
        }
        boolean included = true;
        for (String line : LaunchedService.read(ignoreFile).split("\n")) {
            String pattern = line.strip();
            if (pattern.isEmpty() || pattern.startsWith("#")) {
                continue;
            }
            boolean exception = pattern.startsWith("!");
            String glob = (exception ? pattern.substring(1) : pattern).strip().replaceAll("^/+|/+$", "");
            PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
            for (int n = 1; n <= relativePath.getNameCount(); n++) {
                if (matcher.matches(relativePath.subpath(0, n))) {
                    included = exception;
                    break;
                }
            }
        }
        return included;
    }
}
