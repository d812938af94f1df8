package io.switchboard.gateway.config;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * True when {@code switchboard.console.enabled} binds to true ({@code SWITCHBOARD_CONSOLE_ENABLED=1}, {@code true},
 * {@code on}, {@code yes}), as {@link TestEndpointEnabled} reads its switch. Off, the gateway creates no console bean,
 * no Kafka consumer and no route: {@code /console/} answers 404.
 */
public final class ConsoleEnabled implements Condition {

    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        return Binder.get(context.getEnvironment())
                .bind("switchboard.console.enabled", Boolean.class)
                .orElse(false);
    }
}
