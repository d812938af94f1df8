package io.switchboard.kafka.tracing;

import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.springframework.core.env.Environment;

/**
 * The OTLP span exporter from OpenTelemetry's standard variables: {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} as it
 * is, else {@code OTEL_EXPORTER_OTLP_ENDPOINT} plus {@code /v1/traces} (OTLP over HTTP, as the OpenTelemetry
 * specification builds it). Boot's own exporter reads {@code management.opentelemetry.tracing.export.otlp.endpoint}
 * and is created as soon as that property exists, even empty, so it cannot simply default to the variable.
 */
final class OtlpFromEnvironment {

    private OtlpFromEnvironment() {}

    /** The endpoint, or null when neither variable is set: then nothing is exported. */
    static String endpoint(Environment environment) {
        String traces = environment.getProperty("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
        if (traces != null && !traces.isBlank()) {
            return traces.strip();
        }
        String base = environment.getProperty("OTEL_EXPORTER_OTLP_ENDPOINT");
        if (base == null || base.isBlank()) {
            return null;
        }
        base = base.strip();
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/v1/traces";
    }

    static SpanExporter exporter(String endpoint) {
        return OtlpHttpSpanExporter.builder().setEndpoint(endpoint).build();
    }
}
