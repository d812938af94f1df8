package io.switchboard.cli.replay;

import io.switchboard.cli.kafka.TopicRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Which records replay and tail show: by type glob, key, event id and top-level payload field. Values of one option
 * are alternatives (OR); different options must all match (AND). Compiled once, before the first record.
 */
final class RecordFilter {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** {@code NAME=VALUE}: the payload's top-level field NAME whose value, as text, is VALUE. */
    record Field(String name, String value) {
        @Override
        public String toString() {
            return name + "=" + value;
        }
    }

    @Option(
            names = "--type",
            split = ",",
            paramLabel = "GLOB",
            description = "only these event types: globs with * and ?, e.g. 'audit.*' (repeatable)")
    List<String> types = new ArrayList<>();

    @Option(names = "--key", paramLabel = "KEY", description = "only records with this Kafka key (repeatable)")
    List<String> keys = new ArrayList<>();

    @Option(names = "--event-id", split = ",", paramLabel = "ID", description = "only these event ids (repeatable)")
    List<String> eventIds = new ArrayList<>();

    @Option(
            names = "--field",
            paramLabel = "NAME=VALUE",
            converter = FieldConverter.class,
            description = "only events whose payload's top-level field NAME is VALUE, e.g. fiche_id=F1 (repeatable:"
                    + " every one must match)")
    List<Field> fields = new ArrayList<>();

    /** The filter as one predicate; the globs are compiled here, once. */
    Predicate<TopicRecord> compile() {
        List<Pattern> globs = types.stream().map(RecordFilter::glob).toList();
        return record -> (globs.isEmpty()
                        || (record.type() != null
                                && globs.stream()
                                        .anyMatch(g -> g.matcher(record.type()).matches())))
                && (keys.isEmpty() || keys.contains(record.key()))
                && (eventIds.isEmpty() || eventIds.contains(record.eventId()))
                && (fields.isEmpty() || fieldsMatch(record.payload()));
    }

    boolean isEmpty() {
        return types.isEmpty() && keys.isEmpty() && eventIds.isEmpty() && fields.isEmpty();
    }

    /** The filter in words, for "none of the records ... matches" lines. */
    String describe() {
        List<String> parts = new ArrayList<>();
        types.forEach(t -> parts.add("--type '" + t + "'"));
        keys.forEach(k -> parts.add("--key " + k));
        eventIds.forEach(e -> parts.add("--event-id " + e));
        fields.forEach(f -> parts.add("--field " + f));
        return String.join(" ", parts);
    }

    /** A glob on event types: {@code *} any characters, {@code ?} one; everything else literal. */
    static Pattern glob(String glob) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : glob.toCharArray()) {
            if (c == '*' || c == '?') {
                if (!literal.isEmpty()) {
                    regex.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                regex.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (!literal.isEmpty()) {
            regex.append(Pattern.quote(literal.toString()));
        }
        return Pattern.compile(regex.toString());
    }

    private boolean fieldsMatch(String payload) {
        JsonNode json;
        try {
            json = payload == null ? null : JSON.readTree(payload);
        } catch (JacksonException e) {
            return false;
        }
        if (json == null || !json.isObject()) {
            return false;
        }
        for (Field field : fields) {
            JsonNode value = json.get(field.name());
            if (value == null || !value.isValueNode() || !value.asString().equals(field.value())) {
                return false;
            }
        }
        return true;
    }

    static final class FieldConverter implements ITypeConverter<Field> {
        @Override
        public Field convert(String value) {
            int eq = value.indexOf('=');
            if (eq <= 0) {
                throw new TypeConversionException(
                        "'" + value + "' is not NAME=VALUE: write the payload's top-level field, e.g. fiche_id=F1");
            }
            return new Field(value.substring(0, eq).trim(), value.substring(eq + 1));
        }
    }
}
