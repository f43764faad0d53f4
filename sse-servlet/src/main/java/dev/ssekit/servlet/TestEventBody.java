package dev.ssekit.servlet;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.ssekit.SseEvent;

/**
 * The body of {@code POST {mount}/test}: {@code {"type": "...", "data": ..., "userId": "..."}}.
 * A string {@code data} is sent as it is; any other JSON value is sent as its JSON text;
 * missing {@code data} is empty data. Immutable.
 */
final class TestEventBody {

    /** Types the hub itself sends, such as {@code ssekit.missed}; an admin may not fake them. */
    private static final String RESERVED_PREFIX = "ssekit.";

    private final SseEvent event;
    private final String userId;

    private TestEventBody(SseEvent event, String userId) {
        this.event = event;
        this.userId = userId;
    }

    /** The event to emit. */
    SseEvent event() {
        return event;
    }

    /** The target user, or {@code null} to broadcast. */
    String userId() {
        return userId;
    }

    /**
     * Parses a body.
     *
     * @throws IllegalArgumentException with a client-safe message if the body is not exactly
     *     one JSON object (no trailing content, no duplicate keys) with a non-empty string
     *     {@code type} and an optional string {@code userId}, or if the type holds CR, LF or NUL
     */
    static TestEventBody parse(ObjectMapper mapper, byte[] body) {
        JsonNode root;
        try {
            root = strict(mapper).readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("body is not valid JSON");
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("body cannot be read");
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("body must be a JSON object");
        }

        JsonNode type = root.get("type");
        if (type == null || !type.isTextual() || type.asText().isEmpty()) {
            throw new IllegalArgumentException("\"type\" must be a non-empty string");
        }
        if (type.asText().startsWith(RESERVED_PREFIX)) {
            throw new IllegalArgumentException("event types starting with \""
                    + RESERVED_PREFIX + "\" are the library's own");
        }
        JsonNode user = root.get("userId");
        if (user != null && !user.isNull() && (!user.isTextual() || user.asText().isEmpty())) {
            throw new IllegalArgumentException("\"userId\" must be a non-empty string");
        }
        String userId = user == null || user.isNull() ? null : user.asText();
        return new TestEventBody(SseEvent.of(type.asText(), data(root.get("data"))), userId);
    }

    /**
     * A reader that refuses what a lenient one would guess at: trailing content and duplicate
     * keys; numbers with a fraction stay exact (a huge one would otherwise become Infinity,
     * which is no JSON).
     */
    private static ObjectReader strict(ObjectMapper mapper) {
        return mapper.reader()
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }

    private static Object data(JsonNode data) {
        if (data == null || data.isNull()) {
            return "";
        }
        return data.isTextual() ? data.asText() : data;
    }
}
