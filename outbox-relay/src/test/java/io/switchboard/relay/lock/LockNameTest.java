package io.switchboard.relay.lock;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LockNameTest {

    @Test
    void lockNameIsScopedByDatabaseAndSchema() {
        assertThat(LockName.of("shop", "public", "switchboard_outbox"))
                .isEqualTo("switchboard-outbox:shop.public.switchboard_outbox")
                .isNotEqualTo(LockName.of("billing", "public", "switchboard_outbox"))
                .isNotEqualTo(LockName.of("shop", "audit", "switchboard_outbox"));
        assertThat(LockName.of("shop", null, "switchboard_outbox"))
                .isEqualTo("switchboard-outbox:shop.switchboard_outbox");
    }

    @Test
    void longNamesFitMySqlsSixtyFourCharactersAndStayDistinct() {
        String a = LockName.of("a_database_with_a_rather_long_name_1", "switchboard_outbox_of_the_audit_service");
        String b = LockName.of("a_database_with_a_rather_long_name_2", "switchboard_outbox_of_the_audit_service");
        assertThat(a).hasSizeLessThanOrEqualTo(64).startsWith("switchboard-outbox:a_database");
        assertThat(b).hasSizeLessThanOrEqualTo(64).isNotEqualTo(a);
    }
}
