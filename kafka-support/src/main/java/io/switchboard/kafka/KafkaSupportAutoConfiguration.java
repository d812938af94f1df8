package io.switchboard.kafka;

import io.switchboard.kafka.warmup.FirstAssignments;
import io.switchboard.kafka.warmup.ReadyWhenAssigned;
import io.switchboard.kafka.warmup.WarmUp;
import io.switchboard.kafka.warmup.WarmUpBeforeConsuming;
import io.switchboard.kafka.warmup.WarmUpSettings;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaConsumerFactoryCustomizer;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;

/**
 * What every Switchboard service's consumers share: their group membership ({@link ConsumerMembership}). Backs off
 * without Spring Kafka: gateway-service uses this module's plain classes (the trace core, the dead-letter headers)
 * and keeps Spring's Kafka support off its classpath.
 */
@AutoConfiguration(afterName = "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration")
@ConditionalOnClass(name = "org.springframework.boot.kafka.autoconfigure.DefaultKafkaConsumerFactoryCustomizer")
@EnableConfigurationProperties({ConsumerMembership.class, WarmUpSettings.class})
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

    /** The service's warm-ups, run before its consumers start (WarmUpBeforeConsuming). */
    @Bean
    @ConditionalOnBooleanProperty(name = "switchboard.warm-up.enabled", matchIfMissing = true)
    WarmUpBeforeConsuming switchboardWarmUp(ObjectProvider<WarmUp> warmUps, WarmUpSettings settings) {
        return new WarmUpBeforeConsuming(warmUps.orderedStream().toList(), settings);
    }

    /** Readiness only once every consumer has its partitions (ReadyWhenAssigned). */
    @Bean
    @ConditionalOnBooleanProperty(name = "switchboard.warm-up.enabled", matchIfMissing = true)
    @ConditionalOnBean(KafkaListenerEndpointRegistry.class)
    FirstAssignments switchboardFirstAssignments(ApplicationContext context) {
        return new FirstAssignments(() -> context.getBean(KafkaListenerEndpointRegistry.class));
    }

    @Bean
    @ConditionalOnBean(FirstAssignments.class)
    ReadyWhenAssigned switchboardReadyWhenAssigned(FirstAssignments assignments, WarmUpSettings settings) {
        return new ReadyWhenAssigned(assignments, settings);
    }
}
