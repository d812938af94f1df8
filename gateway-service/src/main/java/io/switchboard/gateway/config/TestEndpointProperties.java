package io.switchboard.gateway.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The operators' test endpoint ({@code switchboard.test-endpoint.*}).
 *
 * @param enabled serve {@code POST /api/realtime/pusher/test} (default false: the path answers 404); env
 *     {@code SWITCHBOARD_TEST_ENDPOINT} ({@code 1} or {@code true}). Enabling it needs the operator token
 *     ({@code SWITCHBOARD_OPERATOR_TOKEN}), or the service does not start.
 */
@ConfigurationProperties("switchboard.test-endpoint")
public record TestEndpointProperties(@DefaultValue("false") boolean enabled) {}
