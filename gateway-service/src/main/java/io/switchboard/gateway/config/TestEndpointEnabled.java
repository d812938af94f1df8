package io.switchboard.gateway.config;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * True when {@code switchboard.test-endpoint.enabled} binds to true. Bound as {@link TestEndpointProperties} is, so
 * {@code SWITCHBOARD_TEST_ENDPOINT=1}, {@code true}, {@code on} and {@code yes} all enable it
 * ({@code @ConditionalOnBooleanProperty} compares the text with {@code "true"} and would miss {@code 1}).
 */
public final class TestEndpointEnabled implements Condition {

    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        return Binder.get(context.getEnvironment())
                .bind("switchboard.test-endpoint.enabled", Boolean.class)
                .orElse(false);
    }
}
