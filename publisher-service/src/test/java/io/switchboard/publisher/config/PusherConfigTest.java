package io.switchboard.publisher.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.pusher.rest.PusherAsync;
import io.switchboard.publisher.publish.DryRunGateway;
import io.switchboard.publisher.publish.PusherGateway;
import io.switchboard.publisher.publish.PusherHttpGateway;
import io.switchboard.publisher.publish.RetryAfterGate;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;

class PusherConfigTest {

    @EnableConfigurationProperties({PusherProperties.class, PublisherProperties.class})
    static class Properties {
        @Bean
        RetryAfterGate retryAfterGate() {
            return new RetryAfterGate(Clock.systemUTC(), Duration.ofSeconds(60));
        }
    }

    private final ApplicationContextRunner context =
            new ApplicationContextRunner().withUserConfiguration(Properties.class, PusherConfig.class);

    @Test
    void dryRunPublishesNothing() {
        context.withPropertyValues("switchboard.pusher.dry-run=1")
                .run(c -> assertThat(c.getBean(PusherGateway.class)).isInstanceOf(DryRunGateway.class));
    }

    @Test
    void credentialsGiveTheHttpGateway() {
        context.withPropertyValues(
                        "switchboard.pusher.app-id=1",
                        "switchboard.pusher.key=k",
                        "switchboard.pusher.secret=very-secret")
                .run(c -> assertThat(c.getBean(PusherGateway.class)).isInstanceOf(PusherHttpGateway.class));
    }

    @Test
    void missingCredentialsStopStartUpWithAClearMessage() {
        context.run(c -> assertThat(c)
                .getFailure()
                .rootCause()
                .hasMessageContaining("PUSHER_APP_ID, PUSHER_KEY and PUSHER_SECRET"));
    }

    /** PUSHER_CLUSTER: with no PUSHER_HOST, requests go to that cluster's host, over https. */
    @Test
    void theClusterChoosesPushersHostWhenNoHostIsSet() {
        new ApplicationContextRunner()
                .withInitializer(new ConfigDataApplicationContextInitializer())
                .withUserConfiguration(Properties.class, PusherConfig.class)
                .withPropertyValues(
                        "spring.config.name=publisher-service",
                        "PUSHER_APP_ID=1",
                        "PUSHER_KEY=k",
                        "PUSHER_SECRET=very-secret",
                        "PUSHER_CLUSTER=eu")
                .run(c -> {
                    URI uri = c.getBean(PusherAsync.class).signedUri("POST", "/apps/1/events", "{}");
                    assertThat(uri.getScheme() + "://" + uri.getHost()).isEqualTo("https://api-eu.pusher.com");
                });
    }

    @Test
    void theSecretNeverAppearsInTheProperties() {
        PusherProperties properties =
                new PusherProperties("1", "k", "very-secret", "eu", null, null, "https", false, null);
        assertThat(properties.toString()).doesNotContain("very-secret").contains("***");
    }

    private static final String MASTER_KEY = "Yk9vL2hNdXpNc2FFV3FOQjZ0aGJ3cVBXUHRjZEtGNnY="; // 32 bytes, base64

    private ApplicationContextRunner asOperatorSetsIt(String... env) {
        return new ApplicationContextRunner()
                .withInitializer(new ConfigDataApplicationContextInitializer())
                .withUserConfiguration(Properties.class, PusherConfig.class)
                .withPropertyValues("spring.config.name=publisher-service", "PUSHER_APP_ID=1", "PUSHER_KEY=k")
                .withPropertyValues("PUSHER_SECRET=very-secret")
                .withPropertyValues(env);
    }

    /** PUSHER_ENCRYPTION_MASTER_KEY_BASE64 reaches pusher-http-java: it can derive encrypted channels' secrets. */
    @Test
    void theMasterKeyTurnsOnEncryptionInPusherHttpJava() {
        asOperatorSetsIt("PUSHER_ENCRYPTION_MASTER_KEY_BASE64=" + MASTER_KEY).run(c -> {
            assertThat(c.getBean(PusherProperties.class).encryptionConfigured()).isTrue();
            assertThat(c.getBean(PusherAsync.class).authenticate("1.2", "private-encrypted-a"))
                    .contains("shared_secret");
        });
        asOperatorSetsIt()
                .run(c -> assertThat(c.getBean(PusherProperties.class).encryptionConfigured())
                        .isFalse());
    }

    @Test
    void aMasterKeyThatIsNot32BytesStopsStartUpNamingTheSettingNotTheKey() {
        String sixteen = java.util.Base64.getEncoder().encodeToString("0123456789abcdef".getBytes());
        asOperatorSetsIt("PUSHER_ENCRYPTION_MASTER_KEY_BASE64=" + sixteen)
                .run(c -> assertThat(c)
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("PUSHER_ENCRYPTION_MASTER_KEY_BASE64")
                        .hasMessageContaining("32 bytes once decoded, not 16")
                        .message()
                        .doesNotContain(sixteen));
        asOperatorSetsIt("PUSHER_ENCRYPTION_MASTER_KEY_BASE64=not*base64!")
                .run(c -> assertThat(c)
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("(PUSHER_ENCRYPTION_MASTER_KEY_BASE64) is not valid base64")
                        .message()
                        .doesNotContain("not*base64!"));
    }

    @Test
    void theMasterKeyNeverAppearsInTheProperties() {
        PusherProperties properties =
                new PusherProperties("1", "k", "very-secret", "eu", null, null, "https", false, MASTER_KEY);
        assertThat(properties.toString()).doesNotContain(MASTER_KEY).contains("encryptionMasterKey=***");
    }
}
