package io.switchboard.router.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.router.RouterApplication;
import io.switchboard.testkit.KafkaTestBroker;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;

/**
 * Ready means warm and consuming (issue 17): a router that reported ready while its consumer was still joining its
 * group, with its routing code still interpreted, cost the first events of a deploy up to two seconds.
 */
@ExtendWith(OutputCaptureExtension.class)
class RouterReadinessIT {

    private final String kafka = KafkaTestBroker.bootstrapServers();

    @Test
    void theRouterReportsReadyOnlyWarmAndWithItsPartitions(CapturedOutput output) throws Exception {
        String suffix = UUID.randomUUID().toString();
        String input = "in-" + suffix;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka))) {
            admin.createTopics(List.of(new NewTopic(input, 3, (short) 1))).all().get();
        }
        try (ConfigurableApplicationContext router = RouterApplication.builder()
                .run(
                        "--spring.kafka.bootstrap-servers=" + kafka,
                        "--server.port=0",
                        "--spring.kafka.consumer.group-id=readiness-" + suffix,
                        "--switchboard.router.input-topic=" + input,
                        "--switchboard.router.output-topic=out-" + suffix,
                        "--switchboard.router.dead-letter-topic=dlq-" + suffix)) {
            // run() returns once the application runners have: that is when Spring Boot reports ready
            assertThat(router.getBean(ApplicationAvailability.class).getReadinessState())
                    .isEqualTo(ReadinessState.ACCEPTING_TRAFFIC);
            assertThat(router.getBean(KafkaListenerEndpointRegistry.class).getListenerContainers())
                    .singleElement()
                    .satisfies(container -> assertThat(container.getAssignedPartitions())
                            .as("the input topic's partitions, assigned before the router said ready")
                            .containsExactlyInAnyOrder(
                                    new TopicPartition(input, 0),
                                    new TopicPartition(input, 1),
                                    new TopicPartition(input, 2)));
            assertThat(output.getOut())
                    .containsPattern("warm-up router: Avro, routing, truncation: [1-9]\\d* iterations in \\d+ ms")
                    .contains("all 1 consumers have their partitions after");
        }
    }
}
