package io.switchboard.relay.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class SecretsTest {

    @Test
    void passwordsInJdbcUrlsNeverReachAMessage() {
        assertThat(Secrets.redact(
                        "cannot connect to jdbc:postgresql://db:5432/app?user=relay&password=hunter2&ssl=true"))
                .isEqualTo("cannot connect to jdbc:postgresql://db:5432/app?user=relay&password=***&ssl=true");
        assertThat(Secrets.redact("jdbc:mariadb://relay:hunter2@db:3306/app")).doesNotContain("hunter2");
        assertThat(Secrets.redact("jdbc:mysql://db/app?user=root;Password = hunter2"))
                .doesNotContain("hunter2");
    }

    @Test
    void aRedactedErrorKeepsItsStackAndCausesWithoutTheSecret() {
        SQLException cause = new SQLException("url jdbc:mysql://db/app?password=hunter2");
        RuntimeException error = new RuntimeException("step failed", cause);
        Throwable redacted = Secrets.redacted(error);
        assertThat(redacted.getStackTrace()).isEqualTo(error.getStackTrace());
        assertThat(redacted.getCause().getMessage())
                .contains("java.sql.SQLException")
                .doesNotContain("hunter2");
    }
}
