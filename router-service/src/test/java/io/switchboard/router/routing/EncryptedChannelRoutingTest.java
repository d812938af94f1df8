package io.switchboard.router.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.pusher.rest.PusherAbstract;
import io.switchboard.router.guard.ProgressGuard;
import io.switchboard.router.truncation.EncryptionOverhead;
import io.switchboard.router.truncation.PayloadTruncator;
import io.switchboard.schemas.RealtimeEvent;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * Routing to {@code private-encrypted-} channels, and the payload limit holding for what Pusher receives once the
 * publisher has encrypted the data; Pusher's reserved event names refused.
 */
class EncryptedChannelRoutingTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** pusher-http-java as the publisher configures it, returning the body it would send. */
    private static final class Library extends PusherAbstract<String> {
        Library() {
            super(
                    "1",
                    "key",
                    "secret",
                    Base64.getEncoder().encodeToString("a master key of 32 bytes, really".getBytes()));
            setDataMarshaller(data -> (String) data);
        }

        @Override
        protected String doGet(URI uri) {
            throw new UnsupportedOperationException();
        }

        @Override
        protected String doPost(URI uri, String body) {
            return body;
        }
    }

    private static EventRouter router(int limit) {
        return router(RoutingTable.defaults(true), limit);
    }

    private static EventRouter router(RoutingTable table, int limit) {
        return new EventRouter(
                new ChannelRouter(table, true),
                new PayloadTruncator(limit),
                ProgressGuard.inMemory(100),
                Clock.systemUTC());
    }

    private static RealtimeEvent event(String type, String payload, List<String> channels) {
        return RealtimeEvent.newBuilder()
                .setEventId("e-" + type)
                .setType(type)
                .setOccurredAt(Instant.now())
                .setSource("test")
                .setAggregateType("audit")
                .setAggregateId("A")
                .setPayload(payload)
                .setChannels(channels)
                .setHeaders(Map.of())
                .build();
    }

    /** A payload of about 20 KB: identifiers, numbers, long multibyte text, a long array, nested objects. */
    private static String bigPayload() {
        StringBuilder steps = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            steps.append(i == 0 ? "" : ",")
                    .append("{\"step_id\":")
                    .append(i)
                    .append(",\"note\":\"r\u00e9sum\u00e9 \u2713 ")
                    .append(i)
                    .append("\"}");
        }
        return "{\"audit_id\":\"A\",\"fiche_id\":\"F\",\"status\":\"running\",\"score\":8,\"explanation\":\""
                + "caf\u00e9 \u2713 \uD83D\uDE00 ".repeat(600) + "\",\"steps\":[" + steps + "]}";
    }

    @ParameterizedTest(name = "PUSHER_MAX_PAYLOAD_BYTES={0}")
    @ValueSource(ints = {168, 500, 4000, 9000, 10240})
    void aTruncatedEventToAnEncryptedChannelFitsTheLimitOnceEncrypted(int limit) {
        String payload = bigPayload();
        EventRouter.Routed routed = (EventRouter.Routed) router(limit)
                .route(event("audit.updated", payload, List.of("private-audit-A", "private-encrypted-audit-A")));

        String data = routed.publish().getData();
        String body = new Library().trigger("private-encrypted-audit-A", "audit.updated", data);
        int sent = JSON.readTree(body).get("data").asString().getBytes(StandardCharsets.UTF_8).length;

        assertThat(routed.truncation().truncated()).isTrue();
        assertThat(data.getBytes(StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(EncryptionOverhead.plaintextLimit(limit));
        assertThat(sent).as("what Pusher receives, encrypted").isLessThanOrEqualTo(limit);
        assertThat(JSON.readTree(data).get("audit_id").asString()).isEqualTo("A");
        assertThat(JSON.readTree(data).get("_truncated").asBoolean()).isTrue();
    }

    /** The encrypted limit applies only when a channel is encrypted: a clear event keeps the whole limit. */
    @Test
    void aPayloadThatFitsInClearIsCutForAnEncryptedChannelOnly() {
        String payload = "{\"audit_id\":\"A\",\"text\":\"" + "a".repeat(8000) + "\"}"; // 8,031 bytes
        EventRouter router = router(9000);

        EventRouter.Routed clear =
                (EventRouter.Routed) router.route(event("audit.updated", payload, List.of("private-audit-A")));
        EventRouter.Routed encrypted = (EventRouter.Routed)
                router.route(event("audit.updated", payload, List.of("private-encrypted-audit-A")));

        assertThat(clear.truncation().truncated()).isFalse();
        assertThat(clear.publish().getData()).isEqualTo(payload);
        assertThat(encrypted.truncation().truncated()).isTrue();
        assertThat(encrypted.truncation().bytes()).isLessThanOrEqualTo(6689);
    }

    @Test
    void producersTargetEncryptedChannelsExplicitlyOrThroughARule() {
        RoutingTable table = RoutingTable.of(
                RoutingTable.parse(new ByteArrayInputStream("""
                                rules:
                                  - {name: medical, types: ['medical.*'], channels: ['encrypted-patient.{patient_id}']}
                                  - {name: spelled-out, types: ['lab.*'], channels: ['private-encrypted-lab.{lab_id}'], private: false}
                                """.getBytes(StandardCharsets.UTF_8)), "test.yml"), true);
        EventRouter router = router(table, 9000);

        assertThat(((EventRouter.Routed) router.route(event("medical.note", "{\"patient_id\":7}", null)))
                        .publish()
                        .getChannels())
                .containsExactly("private-encrypted-patient.7");
        assertThat(((EventRouter.Routed) router.route(event("lab.result", "{\"lab_id\":\"L-1\"}", null)))
                        .publish()
                        .getChannels())
                .containsExactly("private-encrypted-lab.L-1");
        assertThat(((EventRouter.Routed)
                                router(9000).route(event("audit.updated", "{}", List.of("private-encrypted-audit-A"))))
                        .publish()
                        .getChannels())
                .containsExactly("private-encrypted-audit-A");
    }

    @Test
    void aPayloadValueCannotSteerAnEventIntoAnEncryptedChannelItsRuleDidNotName() {
        // audit-{audit_id}: a value may not add the separators that would make another channel
        assertThatThrownBy(() ->
                        router(9000).route(event("audit.updated", "{\"audit_id\":\"A,private-encrypted-x\"}", null)))
                .isInstanceOfSatisfying(
                        RoutingException.class,
                        e -> assertThat(e.reason()).isEqualTo(RoutingException.Reason.UNSAFE_PLACEHOLDER));
    }

    @ParameterizedTest
    @ValueSource(strings = {"pusher:subscribe", "pusher:signin", "pusher_internal:member_added", "pusher:"})
    void pushersReservedEventNamesAreRefusedWithTheirReason(String type) {
        assertThatThrownBy(() -> router(9000).route(event(type, "{\"audit_id\":\"A\"}", null)))
                .isInstanceOfSatisfying(
                        RoutingException.class,
                        e -> assertThat(e.reason()).isEqualTo(RoutingException.Reason.RESERVED_EVENT_NAME))
                .hasMessageContaining(type);
    }

    @Test
    void aLimitTooSmallForAnEncryptedEventStopsTheRouterNamingTheSetting() {
        assertThatThrownBy(() -> router(167))
                .hasMessageContaining("PUSHER_MAX_PAYLOAD_BYTES")
                .hasMessageContaining("at least 168");
    }
}
