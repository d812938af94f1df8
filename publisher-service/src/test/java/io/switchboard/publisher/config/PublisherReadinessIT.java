package io.switchboard.publisher.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.publisher.PublisherApplication;
import io.switchboard.testkit.KafkaTestBroker;
import io.switchboard.testkit.PusherStandIn;
import java.util.ArrayList;
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
 * Ready means warm and consuming (issue 17): the publisher warms its delivery path against an in-memory Pusher, so
 * nothing reaches the real one, and reports ready only once each of its consumers has its partitions.
 */
@ExtendWith(OutputCaptureExtension.class)
class PublisherReadinessIT {

    @Test
    void thePublisherReportsReadyWarmWithItsPartitionsAndHavingSentNothing(CapturedOutput output) throws Exception {
        String kafka = KafkaTestBroker.bootstrapServers();
        String topic = "publish-readiness-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka));
                PusherStandIn pusher = new PusherStandIn("app-1", "key-1", "secret-of-the-stand-in-0123456789")) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
            List<String> args = new ArrayList<>(pusher.publisherArgs());
            args.addAll(List.of(
                    "--spring.kafka.bootstrap-servers=" + kafka,
                    "--server.port=0",
                    "--spring.kafka.consumer.group-id=readiness-" + topic,
                    "--switchboard.publisher.input-topic=" + topic));
            try (ConfigurableApplicationContext publisher =
                    PublisherApplication.builder().run(args.toArray(String[]::new))) {
                assertThat(publisher.getBean(ApplicationAvailability.class).getReadinessState())
                        .isEqualTo(ReadinessState.ACCEPTING_TRAFFIC);
                assertThat(publisher
                                .getBean(KafkaListenerEndpointRegistry.class)
                                .getListenerContainer("publisher")
                                .getAssignedPartitions())
                        .as("the topic's partitions, shared by the three consumers before the publisher said ready")
                        .containsExactlyInAnyOrder(
                                new TopicPartition(topic, 0),
                                new TopicPartition(topic, 1),
                                new TopicPartition(topic, 2));
                assertThat(pusher.requests()).as("requests that reached Pusher").isZero();
                assertThat(output.getOut())
                        .containsPattern("warm-up publisher: .*: [1-9]\\d* iterations in \\d+ ms")
                        .contains("all 3 consumers have their partitions after");
            }
        }
    }
}
