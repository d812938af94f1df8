package io.switchboard.schemas.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

/**
 * A client of the Confluent Schema Registry REST API, which Confluent, Apicurio (ccompat), Karapace and Redpanda all
 * speak. Hand-written because Confluent's client is not served by our package registry; it needs only two calls:
 * {@code POST /subjects/{subject}/versions} (register, or get the id of an identical schema) and
 * {@code GET /schemas/ids/{id}}. Answers are cached for the life of the process (ids are immutable).
 * Credentials in the URL's user-info are sent as HTTP Basic and never appear in messages, a malformed URL's included.
 */
final class RestSchemaRegistry implements SchemaRegistry {

    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final String authorization;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, Integer> ids = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemas = new ConcurrentHashMap<>();

    RestSchemaRegistry(String url) {
        URI uri;
        try {
            uri = RegistryUrl.parse(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("SCHEMA_REGISTRY_URL (" + URL_CONFIG + ") " + e.getMessage());
        }
        String userInfo = uri.getUserInfo(); // percent-decoded; a '+' stays a '+' (URLDecoder made it a space)
        this.authorization = userInfo == null
                ? null
                : "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
        this.base = URI.create(uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                + (uri.getRawPath() == null ? "" : uri.getRawPath()));
    }

    @Override
    public int idFor(String subject, Schema schema) {
        String key = subject + '\u0000' + SchemaNormalization.parsingFingerprint64(schema);
        return ids.computeIfAbsent(key, k -> {
            String body =
                    JSON.createObjectNode().put("schema", schema.toString()).toString();
            JsonNode answer = call(
                    request("/subjects/" + URLEncoder.encode(subject, StandardCharsets.UTF_8) + "/versions")
                            .POST(HttpRequest.BodyPublishers.ofString(body)),
                    "register " + schema.getFullName() + " under " + subject);
            int id = answer.path("id").asInt(-1);
            if (id < 0) {
                throw new WireFormatException(
                        WireFormatException.Reason.REGISTRY_UNAVAILABLE,
                        "registry answered without an id for " + subject);
            }
            schemas.putIfAbsent(id, schema);
            return id;
        });
    }

    @Override
    public Schema schemaFor(int id) {
        return schemas.computeIfAbsent(id, i -> {
            JsonNode answer = call(request("/schemas/ids/" + i).GET(), "fetch schema id " + i);
            return new Schema.Parser().parse(answer.path("schema").asText());
        });
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(10))
                .header("Accept", CONTENT_TYPE)
                .header("Content-Type", CONTENT_TYPE);
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder;
    }

    private JsonNode call(HttpRequest.Builder request, String what) {
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new WireFormatException(
                    WireFormatException.Reason.REGISTRY_UNAVAILABLE, "cannot " + what + " at " + base + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WireFormatException(WireFormatException.Reason.REGISTRY_UNAVAILABLE, "interrupted: " + what, e);
        }
        if (response.statusCode() == 404 && what.startsWith("fetch")) {
            throw new WireFormatException(
                    WireFormatException.Reason.UNKNOWN_SCHEMA_ID,
                    "registry at " + base + " has no " + what.substring(6));
        }
        int status = response.statusCode();
        if (status / 100 == 4 && status != 401 && status != 403 && status != 408 && status != 429) {
            // the registry understood and said no for good (an invalid or incompatible schema): not a blip
            throw new WireFormatException(
                    WireFormatException.Reason.REGISTRY_REFUSED,
                    "registry at " + base + " refused to " + what + ": HTTP " + status + " "
                            + abbreviate(response.body()));
        }
        if (status / 100 != 2) {
            // unreachable, overloaded, rate-limited, or refusing our credentials: retried until an operator or
            // the registry fixes it (health goes DOWN after two minutes of it), never a reason to drop good data
            throw new WireFormatException(
                    WireFormatException.Reason.REGISTRY_UNAVAILABLE,
                    "registry at " + base + " refused to " + what + ": HTTP " + response.statusCode() + " "
                            + abbreviate(response.body()));
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new WireFormatException(
                    WireFormatException.Reason.REGISTRY_UNAVAILABLE, "registry answered non-JSON to " + what, e);
        }
    }

    private static String abbreviate(String body) {
        return body == null ? "" : body.length() > 200 ? body.substring(0, 200) + "…" : body;
    }

    @Override
    public String toString() {
        return "RestSchemaRegistry[" + base + "]"; // never the credentials
    }
}
