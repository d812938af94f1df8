package io.switchboard.kafka.tracing;

import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Tracing for every Switchboard service: {@link EventTracing} on Boot's tracer and propagator (a no-op without
 * them), and the OTLP exporter when OpenTelemetry's standard variable says where to export (docs/tracing.md). Backs
 * off when Micrometer Tracing or the OpenTelemetry SDK is absent (gateway-service, which uses this module's plain
 * classes only).
 */
@AutoConfiguration(
        afterName = {
            "org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration",
            "org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration"
        })
@ConditionalOnClass(name = {"io.micrometer.tracing.Tracer", "io.opentelemetry.sdk.trace.export.SpanExporter"})
public class TracingAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(TracingAutoConfiguration.class);

    @Bean
    EventTracing eventTracing(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
        Tracer t = tracer.getIfAvailable();
        Propagator p = propagator.getIfAvailable();
        return t == null || p == null ? EventTracing.NOOP : new EventTracing(t, p);
    }

    /** Collected by Boot's span processor with any other exporter; closed by the SDK on shutdown. */
    @Bean
    SpanExporter switchboardOtlpSpanExporter(Environment environment) {
        String endpoint = OtlpFromEnvironment.endpoint(environment);
        if (endpoint == null) {
            return SpanExporter.composite(); // exports nothing
        }
        log.info("exporting trace spans over OTLP/HTTP to {}", OtlpFromEnvironment.forLog(endpoint));
        return OtlpFromEnvironment.exporter(endpoint, environment);
    }
}
