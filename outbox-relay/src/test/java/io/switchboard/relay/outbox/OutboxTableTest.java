package io.switchboard.relay.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OutboxTableTest {

    @Test
    void aQualifiedNameKeepsItsSchemaApartFromTheNameThatDerivedNamesUse() {
        OutboxTable table = new OutboxTable("events.outbox");
        assertThat(table.schema()).isEqualTo("events");
        assertThat(table.name()).isEqualTo("outbox");
        assertThat(table).hasToString("events.outbox");
        assertThat(new OutboxTable("switchboard_outbox").schema()).isNull();
    }

    @Test
    void anythingButIdentifiersIsRefusedNamingTheSetting() {
        for (String bad : new String[] {"a.b.c", "1abc", "t; DROP TABLE x", ".t", "s.", ""}) {
            assertThatThrownBy(() -> new OutboxTable(bad)).as(bad).hasMessageContaining("switchboard.outbox.table");
        }
    }
}
