package io.switchboard.publisher.publish;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The {@code {"error": "...", "code": N}} body that Soketi sends with status 200 when a publish fails. */
record ErrorBody(String message, int code) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The error in this body, or null when the body is not such an error (Pusher's own success body is {}). */
    static ErrorBody parse(String body) {
        if (body == null || body.isBlank() || body.charAt(0) != '{') {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(body);
            JsonNode error = node.get("error");
            if (error == null || error.isNull()) {
                return null;
            }
            return new ErrorBody(
                    PublishOutcome.abbreviate(error.asString()),
                    node.path("code").asInt(0));
        } catch (JacksonException e) {
            return null;
        }
    }
}
