package io.switchboard.publisher.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.pusher.rest.PusherAsync;
import com.pusher.rest.crypto.CryptoUtil;
import com.pusher.rest.data.EncryptedMessage;
import io.switchboard.publisher.config.PublisherProperties;
import io.switchboard.publisher.config.PusherConfig;
import io.switchboard.publisher.config.PusherProperties;
import io.switchboard.testkit.PusherStandIn;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * End-to-end encryption as the publisher's own wiring (PusherConfig) sends it, checked at the Pusher stand-in: what
 * Pusher receives for a {@code private-encrypted-} channel is {@code {"nonce","ciphertext"}} that pusher-http-java's
 * CryptoUtil decrypts to the original data, and every request is one pusher-http-java and Pusher accept.
 */
class PusherEncryptionIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String MASTER_KEY =
            Base64.getEncoder().encodeToString("an example key of 32 bytes long!".getBytes());

    @EnableConfigurationProperties({PusherProperties.class, PublisherProperties.class})
    static class Properties {
        @Bean
        RetryAfterGate retryAfterGate() {
            return new RetryAfterGate(Clock.systemUTC(), Duration.ofSeconds(60));
        }
    }

    private final ResilientSenderFixture fixture = new ResilientSenderFixture();
    private final PusherStandIn pusher;

    PusherEncryptionIT() throws Exception {
        pusher = new PusherStandIn("app-1", "key-1", "secret-of-the-stand-in-0123456789");
    }

    @AfterEach
    void close() {
        pusher.close();
    }

    private ApplicationContextRunner publisher(String... extra) {
        List<String> args = new ArrayList<>();
        pusher.publisherArgs().forEach(a -> args.add(a.substring(2))); // --name=value to name=value
        args.addAll(List.of(extra));
        return new ApplicationContextRunner()
                .withUserConfiguration(Properties.class, PusherConfig.class)
                .withPropertyValues(args.toArray(String[]::new));
    }

    @Test
    void anEncryptedChannelGetsCiphertextThatDecryptsToTheDataAndAClearChannelTheDataItself() {
        String data = "{\"audit_id\":\"A\",\"label\":\"caf\u00e9 \u2713\",\"progress\":42}";
        PusherMessage mixed = new PusherMessage(
                "mixed",
                "audit.progress",
                List.of("private-audit-A", "private-encrypted-audit-A", "private-encrypted-fiche-F", "audit-A"),
                data,
                null);
        PusherMessage single = new PusherMessage(
                "single", "audit.progress", List.of("private-encrypted-audit-B"), "{\"audit_id\":\"B\"}", null);

        publisher("switchboard.pusher.encryption-master-key-base64=" + MASTER_KEY)
                .run(c -> {
                    Dispatcher dispatcher = new Dispatcher(fixture.sender(c.getBean(PusherGateway.class)), 4, true);
                    Map<PusherMessage, SendResult> results = dispatcher.deliver(List.of(mixed, single));
                    assertThat(results.values())
                            .allSatisfy(r -> assertThat(r.status()).isEqualTo(SendResult.Status.DELIVERED));
                });

        assertThat(pusher.refusedSignatures()).isZero();
        assertThat(pusher.delivered())
                .extracting(PusherStandIn.Delivered::channel)
                .containsExactlyInAnyOrder(
                        "private-audit-A",
                        "audit-A",
                        "private-encrypted-audit-A",
                        "private-encrypted-fiche-F",
                        "private-encrypted-audit-B");
        CryptoUtil crypto = new CryptoUtil(MASTER_KEY);
        for (PusherStandIn.Delivered delivered : pusher.delivered()) {
            String expected = delivered.channel().endsWith("audit-B") ? single.data() : data;
            if (!delivered.channel().startsWith("private-encrypted-")) {
                assertThat(delivered.data()).isEqualTo(expected);
                continue;
            }
            JsonNode envelope = JSON.readTree(delivered.data());
            assertThat(envelope.propertyNames()).containsExactly("nonce", "ciphertext");
            assertThat(Base64.getDecoder().decode(envelope.get("nonce").asString()))
                    .hasSize(24);
            assertThat(delivered.data()).doesNotContain("audit_id");
            String decrypted = crypto.decrypt(
                    delivered.channel(),
                    new EncryptedMessage(
                            envelope.get("nonce").asString(),
                            envelope.get("ciphertext").asString()));
            assertThat(decrypted).as(delivered.channel()).isEqualTo(expected);
        }
    }

    /** Why the Dispatcher cuts: pusher-http-java 1.3.4 will not encrypt one trigger for several channels. */
    @Test
    void pusherHttpJavaRefusesATriggerToSeveralChannelsWhenOneIsEncrypted() {
        publisher("switchboard.pusher.encryption-master-key-base64=" + MASTER_KEY)
                .run(c -> assertThatThrownBy(() -> c.getBean(PusherAsync.class)
                                .trigger(List.of("private-a", "private-encrypted-b"), "e", "{}"))
                        .hasMessageContaining("multiple channels"));
        assertThat(pusher.requests()).isZero();
    }

    /** A second line behind the Dispatcher's check: without the key, the library itself sends nothing in clear. */
    @Test
    void withoutTheMasterKeyAnEncryptedChannelsEventIsNeverSent() {
        PusherMessage m = new PusherMessage("e", "audit.progress", List.of("private-encrypted-a"), "{\"x\":1}", null);
        publisher().run(c -> {
            PublishOutcome outcome =
                    c.getBean(PusherGateway.class).publish(PusherRequest.of(m)).join();
            assertThat(outcome.kind()).isEqualTo(PublishOutcome.Kind.PERMANENT);
            assertThat(outcome.message()).contains("master encryption key");
        });
        assertThat(pusher.requests()).isZero();
    }
}
