package io.switchboard.kafka;

import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaConsumerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;

/**
 * What every Switchboard service's consumers share: their group membership ({@link ConsumerMembership}). Backs off
 * without Spring Kafka: gateway-service uses this module's plain classes (the trace core, the dead-letter headers)
 * and keeps Spring's Kafka support off its classpath.
 */
@AutoConfiguration(afterName = "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration")
@ConditionalOnClass(name = "org.springframework.boot.kafka.autoconfigure.DefaultKafkaConsumerFactoryCustomizer")
@EnableConfigurationProperties(ConsumerMembership.class)
public class KafkaSupportAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(KafkaSupportAutoConfiguration.class);

    @Bean
    DefaultKafkaConsumerFactoryCustomizer switchboardConsumerMembership(
            ConsumerMembership membership,
            @Value("${SWITCHBOARD_INSTANCE_ID:}") String instanceIdVariable,
            @Value("${spring.application.name:switchboard}") String application,
            @Value("${server.port:8080}") int port) {
        ConsumerMembership effective = membership.instanceId() == null && !instanceIdVariable.isBlank()
                ? new ConsumerMembership(
                        instanceIdVariable, membership.sessionTimeout(), membership.heartbeatInterval())
                : membership;
        Map<String, Object> properties = effective.consumerProperties(application, port);
        return factory -> {
            log.info(
                    "Kafka consumers: {}, session timeout {}",
                    properties.containsKey("group.instance.id")
                            ? "static member " + properties.get("group.instance.id")
                            : "dynamic members",
                    effective.sessionTimeout());
            factory.updateConfigs(properties);
        };
    }

    /** Health DOWN when a listener container stopped for good (ListenerContainersHealth). */
    @Bean
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    @ConditionalOnBean(KafkaListenerEndpointRegistry.class)
    ListenerContainersHealth kafkaListenersHealthIndicator(
            KafkaListenerEndpointRegistry registry,
            ObjectProvider<DeadLetterPolicy> policies,
            @Value("${switchboard.kafka.stuck-after:2m}") Duration stuckAfter) {
        return new ListenerContainersHealth(registry, policies.orderedStream().toList(), stuckAfter);
    }
}
