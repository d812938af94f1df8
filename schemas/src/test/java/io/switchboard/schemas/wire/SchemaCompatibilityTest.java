package io.switchboard.schemas.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The build's compatibility gate: each current schema (src/main/avro) must read, and be readable by, every version
 * kept in history/ (full transitive compatibility), and must itself be pinned, so no change ships without an id.
 */
class SchemaCompatibilityTest {

    static Stream<Arguments> currentAgainstEveryKeptVersion() throws IOException {
        Stream.Builder<Arguments> cases = Stream.builder();
        for (String name : List.of("RealtimeEvent", "ChannelPublish", "DeliveryReceipt")) {
            Schema current = current(name);
            PinnedSchemaRegistry.instance().all().forEach((id, kept) -> {
                if (kept.getFullName().equals(current.getFullName())) {
                    cases.add(Arguments.of(name, id, current, kept));
                }
            });
        }
        return cases.build();
    }

    @ParameterizedTest(name = "{0} is backward and forward compatible with pinned id {1}")
    @MethodSource("currentAgainstEveryKeptVersion")
    void currentSchemaIsFullyCompatible(String name, int id, Schema current, Schema kept) {
        var backward = SchemaCompatibility.checkReaderWriterCompatibility(current, kept);
        var forward = SchemaCompatibility.checkReaderWriterCompatibility(kept, current);
        assertThat(backward.getType())
                .as("new readers must read records written with id %d: %s", id, backward.getDescription())
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
        assertThat(forward.getType())
                .as("readers of id %d must read new records: %s", id, forward.getDescription())
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }

    @ParameterizedTest(name = "{0} as built is pinned")
    @MethodSource("names")
    void currentSchemaIsPinned(String name) throws IOException {
        Schema current = current(name);
        int id = PinnedSchemaRegistry.instance().idFor(name, current);
        assertThat(PinnedSchemaRegistry.instance().schemaFor(id).getFullName()).isEqualTo(current.getFullName());
    }

    @org.junit.jupiter.api.Test
    void aBreakingChangeIsCaught() {
        // the gate itself must be able to fail: a new required field without a default breaks backward reading
        Schema kept = PinnedSchemaRegistry.instance().schemaFor(1);
        String broken = kept.toString()
                .replace("{\"name\":\"payload\"", "{\"name\":\"tenant\",\"type\":\"string\"},{\"name\":\"payload\"");
        Schema current = new Schema.Parser().parse(broken);
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(current, kept)
                        .getType())
                .isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
    }

    static Stream<String> names() {
        return Stream.of("RealtimeEvent", "ChannelPublish", "DeliveryReceipt");
    }

    private static Schema current(String name) throws IOException {
        try (InputStream in = SchemaCompatibilityTest.class.getResourceAsStream(
                "/io/switchboard/schemas/current/" + name + ".avsc")) {
            return new Schema.Parser().parse(in);
        }
    }
}
