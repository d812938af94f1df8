package io.switchboard.deploy.helm;

import io.switchboard.deploy.LaunchedService;
import java.lang.reflect.RecordComponent;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import tools.jackson.databind.JsonNode;

/**
 * Whether a service reads an environment variable, asked of the service itself rather than of a list: a placeholder
 * in its configuration or code, or those of the modules it is built with ({@link
 * LaunchedService#environmentVariablesRead()}); or, through Spring Boot's relaxed binding (checked with Spring's own
 * mapping of environment names), a property its yml sets ({@code SPRING_KAFKA_CONSUMER_GROUP_ID}) or one of
 * kafka-support's {@code @ConfigurationProperties} ({@code SWITCHBOARD_TOPICS_PARTITIONS}); or a variable the JVM or
 * Spring Boot reads for any application ({@link #PLATFORM}).
 */
final class ServiceEnvironment {

    /** What the JVM or Spring Boot reads for any application, each with the reason the chart sets it. */
    static final Map<String, String> PLATFORM = Map.of(
            "JAVA_TOOL_OPTIONS", "the JVM's flags (the heap the resources assume)",
            "SPRING_APPLICATION_JSON",
                    "Spring Boot: kafka.properties, whose dotted names an environment name cannot carry",
            "SPRING_CONFIG_ADDITIONAL_LOCATION", "Spring Boot: the gateway's channel policy, mounted as a file",
            "SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG", "Spring Boot's spring.kafka.properties map: sasl.jaas.config",
            "MANAGEMENT_ENDPOINT_HEALTH_GROUP_READINESS_INCLUDE",
                    "Actuator's readiness group (DeployedMetricsIT starts the relay with it and probes it)");

    /** kafka-support's settings, which the Kafka services bind by relaxed name rather than by placeholder. */
    private static final String KAFKA_SUPPORT_PACKAGE = "io.switchboard.kafka";

    private final LaunchedService service;
    private final Set<String> placeholders;
    private final Set<String> properties = new TreeSet<>();

    ServiceEnvironment(LaunchedService service) {
        this.service = service;
        this.placeholders = service.environmentVariablesRead();
        flatten("", service.config(), properties);
        if (service.projectModulesUsed().contains("kafka-support")) {
            properties.addAll(configurationProperties(KAFKA_SUPPORT_PACKAGE));
        }
    }

    /** Whether the service, or the platform under it, reads this variable. */
    boolean reads(String variable) {
        return placeholders.contains(variable) || PLATFORM.containsKey(variable) || binds(variable);
    }

    /** Whether Spring Boot binds {@code variable} to one of the service's properties. */
    private boolean binds(String variable) {
        ConfigurationPropertySource environment = ConfigurationPropertySource.from(
                new SystemEnvironmentPropertySource("environment", Map.of(variable, "set")));
        return properties.stream()
                .anyMatch(property ->
                        environment.getConfigurationProperty(ConfigurationPropertyName.adapt(property, '.')) != null);
    }

    /** Every leaf key of a yml, dotted ({@code spring.kafka.consumer.group-id}). */
    private static void flatten(String prefix, JsonNode node, Set<String> into) {
        if (node.isObject()) {
            node.properties()
                    .forEach(entry -> flatten(
                            prefix.isEmpty() ? entry.getKey() : prefix + "." + entry.getKey(), entry.getValue(), into));
        } else if (!prefix.isEmpty()) {
            into.add(prefix);
        }
    }

    /** The properties of the {@code @ConfigurationProperties} records in a package: prefix and component, kebab-case. */
    private static Set<String> configurationProperties(String basePackage) {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
        Set<String> names = new TreeSet<>();
        scanner.findCandidateComponents(basePackage).forEach(candidate -> {
            Class<?> type;
            try {
                type = Class.forName(candidate.getBeanClassName());
            } catch (ClassNotFoundException e) {
                throw new AssertionError(e);
            }
            ConfigurationProperties annotation = type.getAnnotation(ConfigurationProperties.class);
            String prefix = annotation.prefix().isEmpty() ? annotation.value() : annotation.prefix();
            if (type.isRecord()) {
                for (RecordComponent component : type.getRecordComponents()) {
                    names.add(prefix + "."
                            + component
                                    .getName()
                                    .replaceAll("([a-z0-9])([A-Z])", "$1-$2")
                                    .toLowerCase());
                }
            }
        });
        if (names.isEmpty()) {
            throw new AssertionError("no @ConfigurationProperties records found in " + basePackage);
        }
        return names;
    }

    @Override
    public String toString() {
        return service.name();
    }
}
