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

    /** With the headers of {@code OTEL_EXPORTER_OTLP_TRACES_HEADERS}, else {@code OTEL_EXPORTER_OTLP_HEADERS}. */
    static SpanExporter exporter(String endpoint, Environment environment) {
        var builder = OtlpHttpSpanExporter.builder().setEndpoint(endpoint);
        String headers = environment.getProperty("OTEL_EXPORTER_OTLP_TRACES_HEADERS");
        if (headers == null || headers.isBlank()) {
            headers = environment.getProperty("OTEL_EXPORTER_OTLP_HEADERS");
        }
        if (headers != null) {
            for (String pair : headers.split(",")) { // key=value,key=value, values URL-encoded (the spec's format)
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    builder.addHeader(
                            pair.substring(0, eq).strip(),
                            java.net.URLDecoder.decode(
                                    pair.substring(eq + 1).strip(), java.nio.charset.StandardCharsets.UTF_8));
                }
            }
        }
        return builder.build();
    }

    /** The endpoint without user-info, query or path: what may be logged. */
    static String forLog(String endpoint) {
        try {
            java.net.URI uri = java.net.URI.create(endpoint);
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        } catch (IllegalArgumentException e) {
            return "(an endpoint that is not a URL)";
        }
    }
}
