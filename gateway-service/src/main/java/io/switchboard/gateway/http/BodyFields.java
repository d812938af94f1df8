package io.switchboard.gateway.http;

import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.FormHttpMessageConverter;
import org.springframework.util.MultiValueMap;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The fields of an auth request ({@code socket_id}, {@code channel_name}), read from the body only, form-encoded or
 * JSON, each at most once. The servlet container's parameters would merge the query string into a form body and
 * Spring would join repeated values with commas ({@code ?channel_name=a} and a body {@code channel_name=b} became
 * {@code a,b}), so one request could carry two readings of the same field. Here a field in the query string, a
 * repeated form field or a repeated JSON key is refused ({@link #problem()}, answered 400 {@code bad_request}).
 * Form bodies are parsed with Spring's {@link FormHttpMessageConverter}, JSON with Jackson's strict duplicate
 * detection. The body is already bounded by the body limit filter, which runs before anything reads it.
 */
final class BodyFields {

    private static final FormHttpMessageConverter FORM = new FormHttpMessageConverter();
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final Map<String, String> values;
    private final String problem;

    private BodyFields(Map<String, String> values, String problem) {
        this.values = values;
        this.problem = problem;
    }

    /** The named fields of a form-encoded body. */
    static BodyFields form(HttpServletRequest request, List<String> names) throws IOException {
        String inQuery = inQueryString(request, names);
        if (inQuery != null) {
            return refused(inQuery + " is read from the body only, not from the query string");
        }
        MultiValueMap<String, String> form;
        try {
            form = parseForm(request.getInputStream().readAllBytes(), charset(request));
        } catch (IllegalArgumentException e) {
            return refused("the body is not form-encoded");
        }
        Map<String, String> values = new HashMap<>();
        for (String name : names) {
            List<String> all = form.get(name);
            if (all != null && all.size() > 1) {
                return refused(name + " appears more than once");
            }
            if (all != null) {
                values.put(name, all.get(0));
            }
        }
        return new BodyFields(values, null);
    }

    /** The named fields of a JSON object body; a field that is not a string is as good as missing. */
    static BodyFields json(HttpServletRequest request, List<String> names) throws IOException {
        String inQuery = inQueryString(request, names);
        if (inQuery != null) {
            return refused(inQuery + " is read from the body only, not from the query string");
        }
        JsonNode body;
        try {
            body = JSON.readTree(request.getInputStream());
        } catch (JacksonException e) {
            // a repeated key is refused here too (strict duplicate detection)
            return refused("the body is not one JSON object with each field at most once");
        }
        if (body == null || !body.isObject()) {
            return refused("the body must be a JSON object");
        }
        Map<String, String> values = new HashMap<>();
        for (String name : names) {
            JsonNode value = body.get(name);
            if (value != null && value.isString()) {
                values.put(name, value.asString());
            }
        }
        return new BodyFields(values, null);
    }

    /** The field's value, or null when the body does not carry it. */
    String get(String name) {
        return values.get(name);
    }

    /** Why the request is refused (400 {@code bad_request}), or null when its fields can be read. */
    String problem() {
        return problem;
    }

    private static BodyFields refused(String problem) {
        return new BodyFields(Map.of(), problem);
    }

    /** The first of the names the query string carries, or null. */
    private static String inQueryString(HttpServletRequest request, List<String> names) throws IOException {
        String query = request.getQueryString();
        if (query == null || query.isEmpty()) {
            return null;
        }
        MultiValueMap<String, String> parameters;
        try {
            parameters = parseForm(query.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return names.get(0); // an undecodable query string could hide anything: refuse it as if it named one
        }
        return names.stream().filter(parameters::containsKey).findFirst().orElse(null);
    }

    private static MultiValueMap<String, String> parseForm(byte[] form, Charset charset) throws IOException {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(new MediaType(MediaType.APPLICATION_FORM_URLENCODED, charset));
        return FORM.read(null, new HttpInputMessage() {
            @Override
            public InputStream getBody() {
                return new ByteArrayInputStream(form);
            }

            @Override
            public HttpHeaders getHeaders() {
                return headers;
            }
        });
    }

    private static Charset charset(HttpServletRequest request) {
        String encoding = request.getCharacterEncoding();
        try {
            return encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
        } catch (IllegalArgumentException e) {
            return StandardCharsets.UTF_8;
        }
    }
}
