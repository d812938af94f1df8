package io.switchboard.testkit;

import java.util.Map;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Environment variables as an operator sets them, for a service started in a test
 * ({@code SpringApplicationBuilder.environment(OperatorEnvironment.of(...))}): they come first, in a source named
 * like Spring's own, because Spring Boot applies relaxed binding ({@code SWITCHBOARD_OUTBOX_MAXRECORDBYTES} to
 * {@code switchboard.outbox.max-record-bytes}) only to a source named {@code systemEnvironment} or ending in
 * {@code -systemEnvironment}. Command-line arguments would bypass both that and the services' yml mappings.
 */
public final class OperatorEnvironment {

    private OperatorEnvironment() {}

    public static StandardEnvironment of(Map<String, String> variables) {
        StandardEnvironment environment = new StandardEnvironment();
        environment
                .getPropertySources()
                .addFirst(new SystemEnvironmentPropertySource(
                        "test-" + StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.copyOf(variables)));
        return environment;
    }
}
