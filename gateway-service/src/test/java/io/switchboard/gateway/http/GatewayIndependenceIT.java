package io.switchboard.gateway.http;

import static io.switchboard.gateway.http.TestGateway.browserToken;
import static io.switchboard.gateway.http.TestGateway.hmac;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testkit.Soketi;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.util.ClassUtils;
import tools.jackson.databind.json.JsonMapper;

/**
 * Finding 7: the auth endpoints lived in publisher-service, the Kafka consumer, so while the publisher was down every
 * subscription of a page failed and pusher-js did not retry. The gateway has no Kafka client: it starts and signs
 * with Kafka unreachable and no publisher running.
 */
class GatewayIndependenceIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void browsersCanSubscribeWhilePublisherIsDown() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort(); // nothing listens there once the socket is closed
        }
        Map<String, String> env = new HashMap<>(TestGateway.jwtMode());
        env.put("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + closed);
        try (TestGateway gateway = TestGateway.start(env, "--spring.kafka.bootstrap-servers=127.0.0.1:" + closed)) {
            HttpResponse<String> signed = gateway.auth(browserToken("user-1", 5), "private-org.5");
            assertThat(signed.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(signed.body()).get("auth").asString())
                    .isEqualTo(Soketi.KEY + ":" + hmac("123.456:private-org.5"));
            assertThat(gateway.form("/user-auth", browserToken("user-1", 5), "socket_id=123.456")
                            .statusCode())
                    .isEqualTo(200);
            HttpResponse<String> health = gateway.get(gateway.management("/actuator/health"), null);
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(health.body()).get("status").asString()).isEqualTo("UP");

            List<String> kafkaBeans = Arrays.stream(gateway.context().getBeanDefinitionNames())
                    .filter(name -> {
                        Class<?> type = gateway.context().getType(name);
                        return type != null
                                && (type.getName().startsWith("org.apache.kafka.")
                                        || type.getName().startsWith("org.springframework.kafka."));
                    })
                    .toList();
            assertThat(kafkaBeans).as("no Kafka bean in the gateway").isEmpty();
            assertThat(ClassUtils.isPresent(
                            "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration",
                            getClass().getClassLoader()))
                    .as("Spring Boot's Kafka support is not on the gateway's classpath")
                    .isFalse();
        }
    }
}
